import NetLabCore

/// Threads on cores. A piece of CPU work for a process needs one of its threads (a thread does
/// one thing at a time) and then a core its cpuset allows; kernel work is bound to the core that
/// raised it (softirq runs where the packet was sent, or where receive-side scaling steers it).
extension GroupingRun {
    /// Runs `duration` of CPU work on `node` for `endpoint` (or the kernel, -1), then `then`.
    /// Kernel work runs on the core of the work that led here, or, when it came from a link or
    /// a timer, on the core receive-side scaling hashes `steering` (a connection direction) to.
    /// Zero-cost work continues at once without a core. Work that copies bytes another core
    /// wrote takes `remoteCopy` longer unless it runs on `dataCore` (where they are in cache).
    mutating func submitWork<Queue: EventQueue>(
        node: Int, duration: Int64, endpoint: Int, then: EventAction, steering: Int = 0, preferredCore: Int = -1,
        dataCore: Int32 = -1, remoteCopy: Int64 = 0, _ simulation: inout Simulation<Queue>
    ) {
        submitVariedWork(
            node: node, duration: varied(work: duration, on: node), endpoint: endpoint, then: then,
            steering: steering, preferredCore: preferredCore, dataCore: dataCore, remoteCopy: remoteCopy, &simulation)
    }

    /// ``submitWork(node:duration:endpoint:then:steering:preferredCore:dataCore:remoteCopy:_:)``
    /// for work whose host variability is already drawn (`duration` is what it will take on its
    /// core, or on any core but `dataCore` with `remoteCopy` added).
    @inline(__always)
    mutating func submitVariedWork<Queue: EventQueue>(
        node: Int, duration: Int64, endpoint: Int, then: EventAction, steering: Int = 0, preferredCore: Int = -1,
        dataCore: Int32 = -1, remoteCopy: Int64 = 0, _ simulation: inout Simulation<Queue>
    ) {
        guard duration > 0 || remoteCopy > 0 else {
            finishedWork = 0
            // Free work of a thread happens on its core all the same: whom it wakes, and the
            // kernel work it raises, see that core.
            let outer = currentCore
            if endpoint >= 0 { currentCore = endpoints[endpoint].homeCore }
            handle(then, in: &simulation)
            currentCore = outer
            return
        }
        var work = Work(pool: Int32(poolOfNode[node]), endpoint: Int32(endpoint), duration: duration, then: then)
        work.dataCore = dataCore
        work.remoteCopy = remoteCopy
        if endpoint < 0 {
            let pool = pools[Int(work.pool)]
            let current = currentCore
            let hash = (UInt64(truncatingIfNeeded: steering) &* 0x9E37_79B9_7F4A_7C15) >> 32
            work.core =
                current >= pool.first && current < pool.first + pool.count
                ? current : pool.first + Int32(hash % UInt64(pool.count))
        }
        let handle = works.insert(work)
        if endpoint < 0 {
            bind(handle, to: Int(work.core), &simulation)
        } else if endpoints[endpoint].running < endpoints[endpoint].threads {
            endpoints[endpoint].running += 1
            if preferredCore >= 0 {
                bind(handle, to: preferredCore, &simulation)
            } else {
                place(handle, &simulation)
            }
        } else {
            endpoints[endpoint].waiting.append(handle)
        }
    }

    /// Starts `handle` on `core` if it is free, else queues it there.
    mutating func bind<Queue: EventQueue>(_ handle: Int32, to core: Int, _ simulation: inout Simulation<Queue>) {
        if cores[core].busy {
            cores[core].queue.append(handle)
        } else {
            start(handle, on: core, &simulation)
        }
    }

    /// Puts a thread's work on a core its endpoint may use: an idle one if there is one (its
    /// last core first), else the queue of its least-loaded allowed core, or the node's queue.
    mutating func place<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let endpoint = Int(works[handle].endpoint)
        let core = idleCore(for: endpoint)
        if core >= 0 {
            start(handle, on: core, &simulation)
        } else if endpoints[endpoint].allowedCores != 0 {
            let pool = pools[poolOfNode[endpoints[endpoint].node]]
            var best = -1
            var mask = endpoints[endpoint].allowedCores
            while mask != 0 {
                let candidate = Int(pool.first) + mask.trailingZeroBitCount
                mask &= mask - 1
                if best < 0 || cores[candidate].queue.count < cores[best].queue.count { best = candidate }
            }
            cores[best].queue.append(handle)
        } else {
            pools[poolOfNode[endpoints[endpoint].node]].shared.append(handle)
        }
    }

    /// An idle core `endpoint` may run on now (absolute index), or -1 if all of them are busy.
    mutating func idleCore(for endpoint: Int) -> Int {
        let home = Int(endpoints[endpoint].homeCore)
        let pool = poolOfNode[endpoints[endpoint].node]
        let first = Int(pools[pool].first)
        let mask = endpoints[endpoint].allowedCores
        if mask != 0 {
            if home >= first, home - first < 64, mask & (1 << UInt64(home - first)) != 0, !cores[home].busy {
                return home
            }
            var bits = mask
            while bits != 0 {
                let candidate = first + bits.trailingZeroBitCount
                bits &= bits - 1
                if !cores[candidate].busy { return candidate }
            }
            return -1
        }
        if !cores[home].busy, takesSharedWork(home) { return home }
        while let candidate = pools[pool].idle.last {
            if !cores[Int(candidate)].busy, takesSharedWork(Int(candidate)) { return Int(candidate) }
            pools[pool].idle.removeLast()
            cores[Int(candidate)].listedIdle = false
        }
        return -1
    }

    /// Whether `core` runs work not bound to it: not when a polling thread spins there, unless
    /// polling threads hold every core of the node.
    @inline(__always)
    func takesSharedWork(_ core: Int) -> Bool {
        !cores[core].dedicated || pools[poolOfNode[nodeOfCore[core]]].freeCores == 0
    }

    mutating func start<Queue: EventQueue>(_ handle: Int32, on core: Int, _ simulation: inout Simulation<Queue>) {
        works[handle].core = Int32(core)
        if works[handle].remoteCopy > 0, works[handle].dataCore != Int32(core) {
            works[handle].duration += works[handle].remoteCopy
        }
        let duration = works[handle].duration
        cores[core].busy = true
        cores[core].runsKernelWork = works[handle].endpoint < 0
        let busy = overlapWithMeasurement(from: simulation.now, duration: duration)
        if works[handle].endpoint >= 0 {
            let endpoint = Int(works[handle].endpoint)
            endpoints[endpoint].homeCore = Int32(core)
            endpoints[endpoint].busyPicoseconds += busy
        }
        cores[core].busyPicoseconds += busy
        simulation.schedule(
            EventAction(kind: EventKind.cpuDone.rawValue, target: UInt32(core), argument: UInt64(handle)),
            after: SimDuration(picoseconds: duration))
    }

    /// Work done: its thread takes its process's next work on the same core (after work already
    /// bound there) if there is some; otherwise the core takes its own queue, then the node's. Then the work's continuation runs
    /// as if on that core, so that kernel work it raises stays there.
    mutating func finishWork<Queue: EventQueue>(_ handle: Int32, _ simulation: inout Simulation<Queue>) {
        let work = works[handle]
        works.remove(handle)
        let core = Int(work.core)
        cores[core].busy = false
        if work.endpoint >= 0 {
            let endpoint = Int(work.endpoint)
            if let next = endpoints[endpoint].waiting.first {
                // The thread goes on where it ran, after the kernel work it raised there (softirq
                // runs before a system call returns).
                _ = endpoints[endpoint].waiting.removeFirst()
                if !allows(endpoint, core: core) {
                    place(next, &simulation)
                } else if cores[core].queue.isEmpty {
                    start(next, on: core, &simulation)
                } else {
                    cores[core].queue.append(next)
                }
            } else {
                endpoints[endpoint].running -= 1
            }
        }
        if !cores[core].busy {
            if !cores[core].queue.isEmpty {
                start(cores[core].queue.removeFirst(), on: core, &simulation)
            } else if takesSharedWork(core), !pools[Int(work.pool)].shared.isEmpty {
                start(pools[Int(work.pool)].shared.removeFirst(), on: core, &simulation)
            } else if takesSharedWork(core), !cores[core].listedIdle {
                cores[core].listedIdle = true
                pools[Int(work.pool)].idle.append(Int32(core))
            }
            if !cores[core].busy { cores[core].idleSince = simulation.now }
        }
        let outer = currentCore
        currentCore = Int32(core)
        finishedWork = work.duration
        self.handle(work.then, in: &simulation)
        currentCore = outer
    }

    @inline(__always)
    func allows(_ endpoint: Int, core: Int) -> Bool {
        let mask = endpoints[endpoint].allowedCores
        return mask == 0
            ? takesSharedWork(core)
            : mask & (1 << UInt64(core - Int(pools[poolOfNode[endpoints[endpoint].node]].first))) != 0
    }

    /// The core a synchronous wake-up of `endpoint` puts it on, or -1: the waker's own core, when it
    /// is on the endpoint's node, allowed, and free or only running kernel work (the reader then
    /// runs after it, as after a softirq). A sender whose data the kernel delivers in its
    /// own context (loopback, veth, Unix sockets, pipes) wakes the reader with WF_SYNC: it is about
    /// to sleep itself, and Linux's `wake_affine` then runs the reader on the waker's cache-hot core
    /// (a context switch) rather than sending an interrupt to wake another. Interrupts from a NIC
    /// are not synchronous.
    func affineCore(for endpoint: Int) -> Int {
        let core = Int(currentCore)
        guard core >= 0, poolOfNode[nodeOfCore[core]] == poolOfNode[endpoints[endpoint].node],
            !cores[core].busy || cores[core].runsKernelWork,
            !endpoints[endpoint].polls, allows(endpoint, core: core)
        else { return -1 }
        return core
    }

    /// What waking `endpoint` costs now, if its threads sleep: nothing if it polls or a thread is
    /// awake; a context switch if it will run on the core that wakes it or must wait for a busy
    /// one; an idle-core wake-up (IPI and idle exit) if it will run on another, idle core.
    /// A deeper idle state costs more to leave (``HostVariability``).
    mutating func wakeupCost(of endpoint: Int, on transport: Transport, now: SimTime) -> Int64 {
        guard !endpoints[endpoint].polls, endpoints[endpoint].running == 0 else { return 0 }
        let node = endpoints[endpoint].node
        let core = idleCore(for: endpoint)
        if core < 0 || Int32(core) == currentCore { return contextSwitch(on: node) }
        return idleWakeup(core: core, now: now, base: profile.wakeup(on: transport))
    }
}

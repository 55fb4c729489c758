import NetLabCore

/// Each flow's random streams for its open-loop draws (arrival gaps, request and response sizes,
/// server times), held only where a draw takes numbers from them: a constant never does, and a
/// cluster's hundred thousand flows mostly send fixed-size requests to servers that take no time,
/// so most of their streams would sit unused at 32 bytes each.
///
/// A stream is the one the flow would have had anyway (its name and purpose decide it), so which
/// streams are held changes no draw.
struct FlowStreams {
    enum Purpose: Int, CaseIterable {
        case arrivals, requests, responses, serverTimes
    }

    /// The streams held; the first is never drawn from: every constant's and every unused one's.
    private var streams: [RandomStream] = [Self.unused]
    /// Per flow, per purpose, the index of its stream in `streams`.
    private var slots: [SIMD4<Int32>] = []

    private static let unused = RandomStream(seed: 0, stream: 0)

    init() {}

    /// The streams of `flows` under `seed`, each flow's keyed by its name.
    init(flows: [Flow], seed: UInt64) {
        // Counted first, so that each table is allocated once at its size: grown by doubling, the
        // blocks left behind would raise the allocator's threshold for returning memory and
        // scatter free space through the heap for the rest of the run.
        let drawn = flows.map(Self.purposesDrawn)
        slots.reserveCapacity(flows.count)
        streams.reserveCapacity(1 + drawn.reduce(0) { $0 + $1.nonzeroBitCount })
        for (flow, mask) in zip(flows, drawn) {
            var slot = SIMD4<Int32>(repeating: 0)
            if mask != 0 {
                let base = RandomStream(seed: seed, streamName: flow.name)
                for purpose in Purpose.allCases where mask & (1 << purpose.rawValue) != 0 {
                    slot[purpose.rawValue] = Int32(streams.count)
                    streams.append(base.substream(UInt64(purpose.rawValue)))
                }
            }
            slots.append(slot)
        }
    }

    /// The purposes `flow` draws random numbers for, one bit each: those whose distribution it
    /// has and is not a constant.
    static func purposesDrawn(by flow: Flow) -> UInt8 {
        var mask: UInt8 = 0
        func draws(_ purpose: Purpose, _ distribution: Distribution) {
            if case .constant = distribution { return }
            mask |= 1 << purpose.rawValue
        }
        switch flow.pattern {
        case .rpc(let rpc):
            if case .open(let gaps) = rpc.arrivals { draws(.arrivals, gaps) }
            draws(.requests, rpc.request)
            draws(.responses, rpc.response)
            draws(.serverTimes, rpc.serverTime)
        case .oneway(let size, let arrivals):
            if case .open(let gaps) = arrivals { draws(.arrivals, gaps) }
            draws(.requests, size)
        case .stream, .injected:
            break
        }
        return mask
    }

    /// The stream `flow` draws its `purpose` from.
    subscript(flow: Int, purpose: Purpose) -> RandomStream {
        @inline(__always) get { streams[Int(slots[flow][purpose.rawValue])] }
        @inline(__always) _modify { yield &streams[Int(slots[flow][purpose.rawValue])] }
    }

    /// Whether the shared stream of constants and unused purposes is still untouched: a draw from
    /// it would mean a flow held no stream of its own for a purpose it draws.
    var unusedStreamIsUntouched: Bool { streams[0].isInState(of: Self.unused) }
}

#if canImport(Glibc)
    import Glibc
#endif

/// How the process's memory allocator gives memory back, set once at start.
enum AllocatorPolicy {
    /// glibc's `M_MMAP_THRESHOLD`.
    private static let mmapThreshold: Int32 = -3

    /// Pins glibc's threshold for serving an allocation from its own mapping at its default,
    /// 128 KiB. Left to itself, glibc raises the threshold to the size of each mapped block freed
    /// (up to 32 MiB): after a run's set-up frees one table of a few megabytes, every later block
    /// below that size comes from the heap, whose free space is not given back, and a cluster's run
    /// then holds more memory than it uses (measured: 264 MB of RSS against 248 MB pinned on a
    /// 100,000-flow cluster, 59.3 against 55.2 MB on a 10,000-flow one, the same output). Pinned,
    /// a freed large block goes back to the system at once. No allocation is made per event, so
    /// the simulation pays nothing for it.
    static func holdMemoryToWhatIsUsed() {
        #if canImport(Glibc)
            // Looked up rather than called: Swift's Glibc module does not export mallopt.
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            _ = mallopt(mmapThreshold, 128 * 1024)
        #endif
    }
}

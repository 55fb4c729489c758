import NetLabCore
import NetLabModel

/// A topology file, read as JSON and as YAML; one that reads is also simulated briefly (at most
/// 200 µs of every grouping, under both built-in profiles), since bad quantities crash at run time
/// rather than at read time.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTopology(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for file in ["fuzz.json", "fuzz.yaml"] {
        guard var topology = try? TopologyReader.read(text, file: file) else { continue }
        topology.duration = min(topology.duration, .microseconds(200))
        topology.warmup = .zero
        for grouping in topology.groupings.indices.prefix(3) {
            for profile in [CostProfile.ideal, .linuxDefault] {
                _ = Experiment.simulate(topology, grouping: grouping, profile: profile, seed: 1)
            }
        }
    }
    return 0
}

import ArgumentParser
import NetLabModel

/// `--profile` and `--seed`: how every command that runs the model picks its costs and its
/// random draws.
struct ModelOptions: ParsableArguments {
    @Option(help: "Cost profile: linux-default, ideal, or a profile file (default: the topology's).")
    var profile: String?

    @Option(parsing: .unconditional, help: "Seed of the random draws (default: the topology's seed).")
    var seed: UInt64?

    /// The profile asked for, else the topology's.
    func resolvedProfile(for spec: Topology, topologyPath: String) throws -> CostProfile {
        try resolveProfile(profile, for: spec, topologyPath: topologyPath)
    }
}

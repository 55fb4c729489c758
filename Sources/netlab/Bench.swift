import ArgumentParser

/// `netlab bench`: measurements of netlab's own speed.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure netlab's own speed.",
        discussion: """
            Benchmarks that run in one process and print wall-clock figures, for comparing netlab \
            with other simulators on the same machine in one run. The tracked benchmarks (with \
            allocation checks) live in the Benchmarks/ package; see Benchmarks/README.md.
            """,
        subcommands: [BenchHold.self, BenchSimulate.self, BenchIngest.self]
    )
}

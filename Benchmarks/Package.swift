// swift-tools-version: 6.1
import PackageDescription

/// SwiftPM names a path dependency after its folder, which is whatever the clone was called.
let netlabPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "netlab")

// The tracked benchmarks live in their own package so that `swift test` in the main package stays
// lean. Run them with `swift package benchmark` from this folder (see README.md).
let package = Package(
    name: "netlab-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EventCore",
            dependencies: [
                .product(name: "NetLabCore", package: netlabPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EventCore",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ClusterModel",
            dependencies: [
                .product(name: "NetLabModel", package: netlabPackage),
                .product(name: "NetLabCore", package: netlabPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ClusterModel",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Advisor",
            dependencies: [
                .product(name: "NetLabAdvisor", package: netlabPackage),
                .product(name: "NetLabModel", package: netlabPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Advisor",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

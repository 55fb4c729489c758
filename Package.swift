// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "netlab",
    products: [
        .executable(name: "netlab", targets: ["netlab"]),
        .library(name: "NetLabCore", targets: ["NetLabCore"]),
        .library(name: "NetLabSpec", targets: ["NetLabSpec"]),
        .library(name: "NetLabModel", targets: ["NetLabModel"]),
        .library(name: "NetLabStats", targets: ["NetLabStats"]),
        .library(name: "NetLabTrace", targets: ["NetLabTrace"]),
        .library(name: "NetLabReplay", targets: ["NetLabReplay"]),
        .library(name: "NetLabReport", targets: ["NetLabReport"]),
        .library(name: "NetLabCalibrate", targets: ["NetLabCalibrate"]),
        .library(name: "NetLabAdvisor", targets: ["NetLabAdvisor"]),
        .library(name: "NetLabSweep", targets: ["NetLabSweep"]),
        .library(name: "NetLabKubernetes", targets: ["NetLabKubernetes"]),
        // Preloaded (LD_PRELOAD) by the allocation gate in the CLI tests, never linked.
        .library(name: "NetLabMallocCounter", type: .dynamic, targets: ["CMallocCounter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // The event engine: time, event queues, the simulation loop, random streams. No I/O, no C.
        .target(
            name: "NetLabCore",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]
        ),
        // Statistics: histograms and counters that models emit into.
        .target(name: "NetLabStats"),
        // Reading the files people write: JSON and YAML documents, located errors with a fix,
        // unknown keys with a did-you-mean, quantities with units.
        .target(name: "NetLabSpec", dependencies: ["NetLabCore", .product(name: "Yams", package: "Yams")]),
        // The cluster and network model: topology files, profiles, paths, stages, transports.
        .target(
            name: "NetLabModel",
            dependencies: [
                "NetLabCore", "NetLabSpec", "NetLabStats", .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // libpcap, through the system's headers and pkg-config.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // A plain C loop over pcap_next_ex: the floor `netlab bench ingest` measures against.
        .target(name: "CPcapFloor", linkerSettings: [.linkedLibrary("pcap")]),
        // The timing loops of `netlab calibrate`: real sockets, pipes and shared memory.
        .target(name: "CCalibrate", linkerSettings: [.linkedLibrary("m")]),
        // Counts allocations of a process it is preloaded into (see its header).
        .target(name: "CMallocCounter"),
        // Reading and writing captures, decoding packets, conversations.
        .target(name: "NetLabTrace", dependencies: ["CPcap", "NetLabCore", "NetLabStats"]),
        // Replaying captured traffic through the model's groupings.
        .target(
            name: "NetLabReplay",
            dependencies: ["NetLabCore", "NetLabSpec", "NetLabModel", "NetLabTrace", "NetLabStats"]),
        // Measuring this host and fitting a profile to it (`netlab calibrate`).
        .target(
            name: "NetLabCalibrate",
            dependencies: ["CCalibrate", "NetLabCore", "NetLabModel", "NetLabReplay", "NetLabStats"]),
        // Searching groupings the user did not write (`netlab advise`).
        .target(
            name: "NetLabAdvisor",
            dependencies: [
                "NetLabCore", "NetLabModel", "NetLabStats", .product(name: "RealModule", package: "swift-numerics"),
            ]),
        // Parameter sweeps, their shards and merging (`netlab sweep`, `netlab merge`).
        .target(name: "NetLabSweep", dependencies: ["NetLabCore", "NetLabSpec", "NetLabModel", "NetLabStats"]),
        // Kubernetes manifests in and out (`netlab import k8s`, `netlab export k8s`).
        .target(
            name: "NetLabKubernetes",
            dependencies: ["NetLabCore", "NetLabSpec", "NetLabModel", .product(name: "Yams", package: "Yams")]),
        // Rendering of results: tables for people, JSON and CSV for programs.
        .target(
            name: "NetLabReport",
            dependencies: [
                "NetLabSpec", "NetLabModel", "NetLabStats", "NetLabTrace", "NetLabReplay", "NetLabAdvisor",
                "NetLabSweep",
            ]),
        // The command-line interface: thin commands over the libraries.
        .executableTarget(
            name: "netlab",
            dependencies: [
                "NetLabCore",
                "NetLabSpec",
                "NetLabModel",
                "NetLabReport",
                "NetLabTrace",
                "NetLabReplay",
                "NetLabCalibrate",
                "NetLabAdvisor",
                "NetLabSweep",
                "NetLabKubernetes",
                "CPcapFloor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NetLabCoreTests", dependencies: ["NetLabCore"]),
        .testTarget(
            name: "NetLabSpecTests", dependencies: ["NetLabSpec", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "NetLabModelTests", dependencies: ["NetLabModel"]),
        .testTarget(name: "NetLabTraceTests", dependencies: ["NetLabTrace"]),
        .testTarget(name: "NetLabReplayTests", dependencies: ["NetLabReplay"]),
        .testTarget(name: "NetLabStatsTests", dependencies: ["NetLabStats"]),
        .testTarget(name: "NetLabReportTests", dependencies: ["NetLabReport"]),
        .testTarget(name: "NetLabCalibrateTests", dependencies: ["NetLabCalibrate"]),
        .testTarget(name: "NetLabAdvisorTests", dependencies: ["NetLabAdvisor"]),
        .testTarget(name: "NetLabSweepTests", dependencies: ["NetLabSweep"]),
        .testTarget(name: "NetLabKubernetesTests", dependencies: ["NetLabKubernetes"]),
        // Golden/ holds expected outputs, read through #filePath rather than as bundle resources.
        .testTarget(
            name: "NetLabCLITests", dependencies: ["netlab", .product(name: "Yams", package: "Yams")],
            exclude: ["Golden"]),
    ]
)

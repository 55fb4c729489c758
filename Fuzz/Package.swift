// swift-tools-version: 6.1
import PackageDescription

/// SwiftPM names a path dependency after its folder, which is whatever the clone was called.
let netlabPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "netlab")

// libFuzzer targets for everything that reads files. Build and run them with Fuzz/run.sh, which
// passes -sanitize=fuzzer,address; they are a package of their own so that the main build and
// `swift test` never see those flags.
let package = Package(
    name: "netlab-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's entry, shared by the targets.
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzTopology",
            dependencies: ["FuzzDriver", .product(name: "NetLabModel", package: netlabPackage), .product(name: "NetLabCore", package: netlabPackage)]
        ),
        .executableTarget(name: "FuzzProfile", dependencies: ["FuzzDriver", .product(name: "NetLabModel", package: netlabPackage)]),
        .executableTarget(name: "FuzzMap", dependencies: ["FuzzDriver", .product(name: "NetLabReplay", package: netlabPackage)]),
        .executableTarget(name: "FuzzCapture", dependencies: ["FuzzDriver", .product(name: "NetLabTrace", package: netlabPackage)]),
        .executableTarget(
            name: "FuzzImport",
            dependencies: [
                "FuzzDriver", .product(name: "NetLabKubernetes", package: netlabPackage),
                .product(name: "NetLabSweep", package: netlabPackage), .product(name: "NetLabReport", package: netlabPackage),
            ]
        ),
    ]
)

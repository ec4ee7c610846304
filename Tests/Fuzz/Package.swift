// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for vpnform's readers. A separate package, so the product's Package.swift
// stays free of anything fuzz-specific; it uses vpnform itself by path. Build and run with
// Tests/Fuzz/run.sh (swift build -Xswiftc -sanitize=fuzzer,address).
let package = Package(
    name: "vpnform-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "vpnform", path: "../..")],
    targets: [
        .target(name: "FuzzDriver"),
        // SHA-256 for the fuzzer that recomputes a spec's digest as a hand editor could.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto"),
        .executableTarget(name: "FuzzDesiredState", dependencies: ["FuzzDriver", .product(name: "VPNForm", package: "vpnform")]),
        .executableTarget(name: "FuzzStateAndPlan",
                          dependencies: ["FuzzDriver", "CLibCrypto", .product(name: "VPNForm", package: "vpnform")]),
    ]
)

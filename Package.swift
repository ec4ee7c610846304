// swift-tools-version:6.0
import PackageDescription

// vpnform has no package dependencies by design: Foundation plus system C libraries
// through module maps. `.ci/run` fails if a `dependencies:` list appears here.
let package = Package(
    name: "vpnform",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vpnform", targets: ["vpnform"]),
        .library(name: "VPNForm", targets: ["VPNForm"]),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CTLS",
            pkgConfig: "libssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // curl_easy_setopt and friends are variadic: fixed-type wrappers Swift can call.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .target(name: "LocatedYAML", dependencies: ["CYAML"]),
        .target(name: "VPNCrypto", dependencies: ["CCrypto"]),
        .target(name: "VPNValues"),
        .target(name: "VPNForm", dependencies: ["LocatedYAML", "VPNCrypto", "VPNValues"]),
        .target(name: "VPNAPI", dependencies: ["VPNCrypto", "VPNValues", "CCurl", "CCurlShim"]),
        .target(name: "LoopbackHTTP", dependencies: ["CTLS"]),
        .target(name: "VPNEmulator", dependencies: ["VPNAPI", "VPNCrypto", "VPNValues", "LoopbackHTTP"]),
        .target(name: "VPNApply", dependencies: ["VPNForm", "VPNAPI", "VPNEmulator"]),
        // The git commit and build date for `vpnform version`, written by a build tool plugin.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .target(name: "VPNBuildInfo", plugins: ["BuildInfoPlugin"]),
        .target(name: "VPNFormCLI", dependencies: ["VPNForm", "VPNAPI", "VPNApply", "VPNEmulator", "VPNBuildInfo", "VPNValues"]),
        .target(name: "EstateGenerator", dependencies: ["VPNValues"]),
        .executableTarget(name: "vpnform", dependencies: ["VPNFormCLI"]),
        .executableTarget(name: "vpnform-bench", dependencies: ["CYAML", "VPNForm", "VPNAPI", "VPNApply", "VPNEmulator", "EstateGenerator"]),
        // Shared by the test targets: process runner, repository root, scratch folders, marked sources.
        .target(name: "TestSupport", dependencies: ["LocatedYAML"], path: "Tests/TestSupport"),
        .testTarget(
            name: "VPNFormTests",
            dependencies: ["VPNForm", "LocatedYAML", "VPNCrypto", "EstateGenerator", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "VPNAPITests",
            dependencies: ["VPNAPI", "VPNCrypto"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "VPNApplyTests", dependencies: ["VPNApply", "VPNEmulator", "VPNAPI", "VPNForm", "EstateGenerator", "TestSupport"]),
        .testTarget(name: "LoopbackHTTPTests", dependencies: ["LoopbackHTTP"]),
        .testTarget(name: "VPNEmulatorTests", dependencies: ["VPNEmulator", "VPNAPI", "VPNCrypto", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["VPNFormCLI", "VPNApply", "VPNForm", "TestSupport", "EstateGenerator"]),
    ]
)

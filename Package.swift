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
        .target(name: "LocatedYAML", dependencies: ["CYAML"]),
        .target(name: "VPNForm", dependencies: ["LocatedYAML"]),
        .target(name: "VPNFormCLI", dependencies: ["VPNForm"]),
        .executableTarget(name: "vpnform", dependencies: ["VPNFormCLI"]),
        .testTarget(
            name: "VPNFormTests",
            dependencies: ["VPNForm", "LocatedYAML"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CLITests", dependencies: ["VPNFormCLI"]),
    ]
)

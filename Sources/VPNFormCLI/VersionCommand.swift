import VPNBuildInfo

enum VersionCommand {
    static let spec = CommandSpec(
        name: "version",
        summary: "Print vpnform's version, the git commit it was built from and the build date.",
        usage: "vpnform version",
        options: []
    ) { _, console in
        console.out(text)
        return ExitCode.success
    }

    /// `vpnform 0.1.0 (commit 0123456789ab, built 2026-11-30)`.
    static var text: String {
        "vpnform \(VPNFormCLI.version) (commit \(BuildInfo.commit), built \(BuildInfo.date))\n"
    }
}

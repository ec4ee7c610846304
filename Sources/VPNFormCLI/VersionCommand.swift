enum VersionCommand {
    static let spec = CommandSpec(
        name: "version",
        summary: "Print vpnform's version.",
        usage: "vpnform version",
        options: []
    ) { _, console in
        console.out("vpnform \(VPNFormCLI.version)\n")
        return ExitCode.success
    }
}

import VPNApply

/// `vpnform plan --check-env`: one line per variable an apply would read, set or missing.
enum CheckEnvOutput {
    /// Prints the list on standard output and an error per missing variable; never a value.
    /// - Returns: 0 when every variable is set, else 1.
    static func print(_ variables: [RequiredVariable], console: Console, printer: Printer) -> Int32 {
        guard !variables.isEmpty else {
            console.out("An apply of this plan creates nothing: it reads no variables.\n")
            return ExitCode.success
        }
        let rows = variables.map { v in
            ((v.isSet ? "set      " : "MISSING  ") + ([v.name] + v.alternatives).joined(separator: " or "), v.purpose)
        }
        console.out("An apply of this plan reads:\n" + CommandSpec.columns(rows))
        let missing = variables.filter { !$0.isSet }
        for v in missing {
            printer.print(
                Problem(
                    message: "\(v.name) is not set (\(v.purpose)); an apply of this plan would stop before any call"))
        }
        return missing.isEmpty ? ExitCode.success : ExitCode.failure
    }
}

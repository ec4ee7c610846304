import VPNForm

enum ValidateCommand {
    static let spec = CommandSpec(
        name: "validate",
        summary: "Check a desired-state file and report every mistake, located.",
        usage: "vpnform validate [FILE | -f FILE] [--format text|json|github]",
        options: [
            CommandSupport.fileOption,
            OptionSpec(["--format"], value: "FORMAT", help: "Diagnostics as text (default), json or github annotations."),
        ],
        maxPositionals: 1,
        positionalFile: .always,
        details: """
        Exit status: 0 when the file is valid (warnings allowed), 1 when it has errors, 64 on a usage error.
        With --format text, diagnostics go to standard error and a summary to standard output; with json or
        github, the diagnostics themselves are the output, on standard output.
        """
    ) { args, console in
        let printer = Printer(console: console, arguments: args)
        let file = CommandSupport.desiredPath(args)
        let formatName = args.value("--format") ?? "text"
        guard let format = DiagnosticFormat(rawValue: formatName) else {
            printer.usage(UsageError("--format must be one of text, json, github; got \"\(formatName)\""),
                          usage: "vpnform validate [FILE | -f FILE] [--format text|json|github]", command: "validate")
            return ExitCode.usage
        }
        let loaded: LoadedDesiredState
        do throws(DesiredStateFileError) {
            // Validation has no use for the bytes once they are parsed.
            loaded = try DesiredStateLoader().load(path: file, keepingBytes: false)
        } catch {
            printer.print(error)
            return ExitCode.failure
        }
        defer { ProcessLifetime.keep(loaded) }
        let diagnostics = loaded.diagnostics
        switch format {
        case .text:
            printer.diagnostics(diagnostics)
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            if loaded.isValid, let state = loaded.state {
                let g = state.gateways.count, p = state.pairCount
                var line = "\(file): valid: \(g) gateway\(g == 1 ? "" : "s"), \(p) pair\(p == 1 ? "" : "s") "
                    + "(\(state.apiConnectionCount) API connections)"
                if warnings > 0 { line += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
                console.out(line + "\n")
            } else {
                let counts = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
                printer.print(Problem(severity: .summary, file: file, message: counts))
            }
        case .json, .github:
            console.out(format.render(diagnostics))
        }
        return loaded.isValid ? ExitCode.success : ExitCode.failure
    }
}

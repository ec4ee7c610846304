import VPNForm

/// The `vpnform` command line: dispatches to a subcommand and returns the process exit code.
public enum VPNFormCLI {
    /// The version `vpnform version` prints.
    public static let version = "0.1.0"

    static let commands: [CommandSpec] = [
        ValidateCommand.spec, PlanCommand.spec, ApplyCommand.spec, ImportCommand.spec, StateCommand.spec,
        ForceUnlockCommand.spec, EmulatorCommand.spec, VersionCommand.spec, CompletionCommand.spec,
    ]

    /// Runs `vpnform` with `arguments` (without the program name).
    /// - Returns: The exit code.
    public static func run(_ arguments: [String], console: Console = .live) async -> Int32 {
        switch dispatch(arguments, console: console) {
        case .finished(let code): return code
        case .asynchronous(let run, let parsed): return await run(parsed, console)
        }
    }

    /// Runs `vpnform` with `arguments` on the calling thread, unless the command needs
    /// concurrency (`apply`, `emulator`): then nothing has been printed and the caller runs
    /// ``run(_:console:)``. `main` calls this first so that most commands never start the
    /// dispatch main queue.
    /// - Returns: The exit code, or `nil` for a command to run with ``run(_:console:)``.
    public static func runSynchronously(_ arguments: [String], console: Console = .live) -> Int32? {
        switch dispatch(arguments, console: console) {
        case .finished(let code): return code
        case .asynchronous: return nil
        }
    }

    private enum Dispatched {
        case finished(Int32)
        case asynchronous(@Sendable (ParsedArguments, Console) async -> Int32, ParsedArguments)
    }

    /// Parses the command line and runs a synchronous command; an asynchronous one is returned.
    private static func dispatch(_ arguments: [String], console: Console) -> Dispatched {
        guard let first = arguments.first else {
            console.err(overview)
            return .finished(ExitCode.usage)
        }
        if first == "-h" || first == "--help" || first == "help" {
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                console.out(command.help)
            } else {
                console.out(overview)
            }
            return .finished(ExitCode.success)
        }
        if first == "--version" { return dispatch(["version"], console: console) }
        guard let command = commands.first(where: { $0.name == first }) else {
            let hint = Suggestion.closest(to: first, in: commands.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
            Printer(console: console).error("unknown command \"\(first)\"\(hint)")
            console.err("\n" + overview)
            return .finished(ExitCode.usage)
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("-h") || rest.contains("--help") {
            console.out(command.help)
            return .finished(ExitCode.success)
        }
        let parsed: ParsedArguments
        do {
            parsed = try command.normalized(ArgumentParser.parse(rest, options: command.options,
                                                                 maxPositionals: command.maxPositionals))
        } catch {
            Printer(console: console).usage(error, usage: command.usage, command: command.name)
            return .finished(ExitCode.usage)
        }
        switch command.body {
        case .synchronous(let run): return .finished(run(parsed, console))
        case .asynchronous(let run): return .asynchronous(run, parsed)
        }
    }

    static var overview: String {
        var text = """
        vpnform: declarative reconciler for Huawei Cloud VPN connections.

        USAGE: vpnform <command> [options]

        COMMANDS:

        """
        text += CommandSpec.columns(commands.map { ($0.name, $0.summary) })
        text += "\nSee 'vpnform <command> --help' for a command's options.\n"
        return text
    }
}

import VPNForm

/// The `vpnform` command line: dispatches to a subcommand and returns the process exit code.
public enum VPNFormCLI {
    /// The version `vpnform version` prints.
    public static let version = "0.1.0"

    static let commands: [CommandSpec] = [
        ValidateCommand.spec, PlanCommand.spec, ApplyCommand.spec, ImportCommand.spec, StateCommand.spec, ForceUnlockCommand.spec,
        EmulatorCommand.spec, VersionCommand.spec, CompletionCommand.spec,
    ]

    /// Runs `vpnform` with `arguments` (without the program name).
    /// - Returns: The exit code.
    public static func run(_ arguments: [String], console: Console = .live) async -> Int32 {
        guard let first = arguments.first else {
            console.err(overview)
            return ExitCode.usage
        }
        if first == "-h" || first == "--help" || first == "help" {
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                console.out(command.help)
            } else {
                console.out(overview)
            }
            return ExitCode.success
        }
        if first == "--version" { return await VersionCommand.spec.run(ParsedArguments(), console) }
        guard let command = commands.first(where: { $0.name == first }) else {
            let hint = Suggestion.closest(to: first, in: commands.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
            Printer(console: console).error("unknown command \"\(first)\"\(hint)")
            console.err("\n" + overview)
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("-h") || rest.contains("--help") {
            console.out(command.help)
            return ExitCode.success
        }
        do {
            let parsed = try command.normalized(ArgumentParser.parse(rest, options: command.options,
                                                                     maxPositionals: command.maxPositionals))
            return await command.run(parsed, console)
        } catch {
            Printer(console: console).usage(error, usage: command.usage, command: command.name)
            return ExitCode.usage
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

/// `vpnform completion bash|zsh|fish`: a completion script written from the command table, so
/// it always knows every command and option this binary has.
enum CompletionCommand {
    static let usage = "vpnform completion bash|zsh|fish"

    static let spec = CommandSpec(
        name: "completion",
        summary: "Print a shell completion script for bash, zsh or fish.",
        usage: usage,
        options: [],
        maxPositionals: 1,
        details: """
            bash:  source <(vpnform completion bash)
                   (or save it as ~/.local/share/bash-completion/completions/vpnform)
            zsh:   vpnform completion zsh > "${fpath[1]}/_vpnform"   (then restart zsh)
            fish:  vpnform completion fish > ~/.config/fish/completions/vpnform.fish
            """
    ) { args, console in
        let commands = VPNFormCLI.commands
        switch args.positionals.first {
        case "bash": console.out(CompletionScript.bash(commands))
        case "zsh": console.out(CompletionScript.zsh(commands))
        case "fish": console.out(CompletionScript.fish(commands))
        default:
            Printer(console: console).usage(
                UsageError("expected the shell: bash, zsh or fish"), usage: usage, command: "completion")
            return ExitCode.usage
        }
        return ExitCode.success
    }
}

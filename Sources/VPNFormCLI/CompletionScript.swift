/// Completion scripts for bash, zsh and fish, from the commands' option tables.
enum CompletionScript {
    /// Words a command takes as positionals, beyond files.
    static let positionalWords: [String: [String]] = [
        "state": ["list", "show", "merge"], "completion": ["bash", "zsh", "fish"],
    ]
    /// Values of options that take one of a few words.
    static let optionWords: [String: [String]] = ["--format": ["text", "json", "github"]]

    /// Whether an option's value is a path.
    static func takesPath(_ o: OptionSpec) -> Bool { ["FILE", "PATH", "PLANFILE"].contains(o.valueName) }

    static func bash(_ commands: [CommandSpec]) -> String {
        var cases = ""
        for c in commands {
            let options = (c.options.flatMap(\.names) + ["-h", "--help"]).joined(separator: " ")
            let words = (positionalWords[c.name] ?? []).joined(separator: " ")
            cases += "    \(c.name)) opts=\"\(options)\"; words=\"\(words)\" ;;\n"
        }
        let paths = commands.flatMap(\.options).filter(takesPath).flatMap(\.names)
        let valued = commands.flatMap(\.options).filter {
            $0.takesValue && !takesPath($0) && optionWords[$0.key] == nil
        }
        .flatMap(\.names)
        var valueCases =
            "    \(Set(paths).sorted().joined(separator: "|"))) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
        for (option, words) in optionWords.sorted(by: { $0.key < $1.key }) {
            valueCases +=
                "    \(option)) COMPREPLY=($(compgen -W \"\(words.joined(separator: " "))\" -- \"$cur\")); return ;;\n"
        }
        if !valued.isEmpty { valueCases += "    \(Set(valued).sorted().joined(separator: "|"))) return ;;\n" }
        return """
            # bash completion for vpnform: source <(vpnform completion bash)
            _vpnform() {
              local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" opts="" words=""
              COMPREPLY=()
              if [ "$COMP_CWORD" -eq 1 ]; then
                COMPREPLY=($(compgen -W "\(commands.map(\.name).joined(separator: " ")) --help --version" -- "$cur"))
                return
              fi
              case "$prev" in
            \(valueCases)  esac
              case "${COMP_WORDS[1]}" in
            \(cases)  esac
              if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "$opts" -- "$cur"))
              elif [ -n "$words" ] && [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "$words" -- "$cur"))
              else
                COMPREPLY=($(compgen -f -- "$cur"))
              fi
            }
            complete -o filenames -F _vpnform vpnform

            """
    }

    static func zsh(_ commands: [CommandSpec]) -> String {
        let list = commands.map { "    '\($0.name):\(text($0.summary))'" }.joined(separator: "\n")
        var cases = ""
        for c in commands {
            var specs = c.options.map { o -> String in
                let names =
                    o.names.count > 1
                    ? "'(\(o.names.joined(separator: " ")))'{\(o.names.joined(separator: ","))}" : "'\(o.key)"
                let open = o.names.count > 1 ? "'" : ""
                var value = ""
                if o.takesValue {
                    value =
                        takesPath(o)
                        ? ":\(o.valueName.lowercased()):_files"
                        : optionWords[o.key].map { ":\(o.valueName.lowercased()):(\($0.joined(separator: " ")))" }
                            ?? ":\(o.valueName.lowercased()):"
                }
                return "\(names)\(open)[\(text(o.help))]\(value)'"
            }
            if let words = positionalWords[c.name] {
                specs.append("'1:argument:(\(words.joined(separator: " ")))'")
            } else if c.maxPositionals > 0 {
                specs.append("'*:file:_files'")
            }
            cases +=
                "    \(c.name))\n      _arguments \\\n        \(specs.joined(separator: " \\\n        "))\n      ;;\n"
        }
        return """
            #compdef vpnform
            # zsh completion for vpnform: vpnform completion zsh > "${fpath[1]}/_vpnform"
            _vpnform() {
              local -a commands
              commands=(
            \(list)
              )
              if (( CURRENT == 2 )); then
                _describe 'command' commands
                return
              fi
              words=("${words[@]:1}")
              (( CURRENT-- ))
              case $words[1] in
            \(cases)  esac
            }
            _vpnform "$@"

            """
    }

    static func fish(_ commands: [CommandSpec]) -> String {
        var lines = [
            "# fish completion for vpnform: vpnform completion fish > ~/.config/fish/completions/vpnform.fish",
            "complete -c vpnform -f",
        ]
        for c in commands {
            lines.append("complete -c vpnform -n __fish_use_subcommand -a \(c.name) -d '\(text(c.summary))'")
            let when = "-n '__fish_seen_subcommand_from \(c.name)'"
            for o in c.options {
                var flags = o.names.map { $0.hasPrefix("--") ? "-l \($0.dropFirst(2))" : "-s \($0.dropFirst())" }
                    .joined(separator: " ")
                if o.takesValue {
                    flags +=
                        takesPath(o)
                        ? " -r -F" : optionWords[o.key].map { " -x -a '\($0.joined(separator: " "))'" } ?? " -x"
                }
                lines.append("complete -c vpnform \(when) \(flags) -d '\(text(o.help))'")
            }
            if let words = positionalWords[c.name] {
                lines.append("complete -c vpnform \(when) -a '\(words.joined(separator: " "))'")
            } else if c.maxPositionals > 0 {
                lines.append("complete -c vpnform \(when) -F")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Help text safe inside single quotes and zsh's `[…]`: quotes, brackets and backticks dropped.
    static func text(_ s: String) -> String {
        String(s.filter { !"'[]`:\\$".contains($0) })
    }
}

import Testing
@testable import VPNFormCLI

@Suite struct ArgumentParserTests {
    let options = [
        OptionSpec(["-f", "--file"], value: "FILE", help: ""),
        OptionSpec(["--format"], value: "FORMAT", help: ""),
        OptionSpec(["--fault"], value: "SPEC", repeatable: true, help: ""),
        OptionSpec(["--auto-approve"], help: ""),
    ]

    @Test("short, long, inline values, flags and positionals")
    func parses() throws {
        let p = try ArgumentParser.parse(["-f", "a.yaml", "--format=json", "--auto-approve", "plan.json"], options: options, maxPositionals: 1)
        #expect(p.value("--file") == "a.yaml")
        #expect(p.value("--format") == "json")
        #expect(p.flag("--auto-approve"))
        #expect(!p.flag("--fault"))
        #expect(p.positionals == ["plan.json"])
    }

    @Test("repeatable options keep every value; others refuse a repeat")
    func repeats() throws {
        let p = try ArgumentParser.parse(["--fault", "a", "--fault=b"], options: options, maxPositionals: 0)
        #expect(p.values("--fault") == ["a", "b"])
        #expect(throws: UsageError("option --file given more than once")) {
            try ArgumentParser.parse(["-f", "a", "--file", "b"], options: options, maxPositionals: 0)
        }
    }

    @Test("mistakes are usage errors with a clear message", arguments: [
        (["--fromat", "json"], "unknown option --fromat (did you mean --format?)"),
        (["--file"], "option --file needs a value (FILE)"),
        (["--auto-approve=yes"], "option --auto-approve takes no value"),
        (["extra"], "unexpected argument \"extra\""),
    ])
    func errors(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) {
            try ArgumentParser.parse(arguments, options: options, maxPositionals: 0)
        }
    }

    @Test("-- ends the options")
    func doubleDash() throws {
        let p = try ArgumentParser.parse(["--", "--file"], options: options, maxPositionals: 1)
        #expect(p.positionals == ["--file"])
        #expect(p.value("--file") == nil)
    }
}

/// The command table: usage lines and positional files.
@Suite struct CommandTableTests {
    @Test("every command's usage line names each of its options", arguments: VPNFormCLI.commands.map(\.name))
    func usageNamesOptions(name: String) throws {
        let command = try #require(VPNFormCLI.commands.first { $0.name == name })
        for option in command.options {
            // Any of its spellings (`-f FILE` stands for `--file`).
            let named = option.names.contains {
                command.usage.contains("\($0) ") || command.usage.contains("\($0)]") || command.usage.contains("\($0)[")
            }
            #expect(named, "\(name): \(option.key) missing from its usage line")
        }
    }

    @Test("a positional desired file becomes --file; apply keeps a plan file positional")
    func positionalFile() throws {
        let plan = try #require(VPNFormCLI.commands.first { $0.name == "plan" })
        let apply = try #require(VPNFormCLI.commands.first { $0.name == "apply" })
        let parsed = try plan.normalized(ParsedArguments(positionals: ["vpn.yaml"]))
        #expect(parsed.value("--file") == "vpn.yaml" && parsed.positionals.isEmpty)
        #expect(try apply.normalized(ParsedArguments(positionals: ["p.json"])).positionals == ["p.json"])
        #expect(try apply.normalized(ParsedArguments(positionals: ["vpn.yml"])).value("--file") == "vpn.yml")
        #expect(throws: UsageError("give the desired file either as FILE or with -f, not both")) {
            try plan.normalized(ParsedArguments(options: ["--file": ["a.yaml"]], positionals: ["b.yaml"]))
        }
        let short = try ArgumentParser.parse(["-f=a.yaml"], options: plan.options, maxPositionals: 1)
        #expect(short.value("--file") == "a.yaml")
    }
}

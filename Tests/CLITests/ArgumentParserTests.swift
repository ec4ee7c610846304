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

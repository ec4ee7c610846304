import Foundation
import TestSupport
import Testing

/// Issue #14's friction items, through the real binary.
@Suite struct FrictionTests {
    static let keys = [
        "PSK_SHANGHAI": "Shanghai-Key-2024", "PSK_GUANGZHOU": "Guangzhou-Key-2024",
        "HUAWEICLOUD_SDK_AK": "AK0000000000", "HUAWEICLOUD_SDK_SK": "sk-0000000000",
    ]

    @Test("--endpoint without a scheme says the scheme is missing")
    func endpointScheme() throws {
        let ws = Scratch().copy("examples/quickstart.yaml")
        let r = try BinaryRunner.run(
            ["apply", "-f", "quickstart.yaml", "--endpoint", "127.0.0.1:43197", "--auto-approve"],
            environment: Self.keys, in: ws.url)
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "error: invalid endpoint \"127.0.0.1:43197\": the scheme is missing: write https://127.0.0.1:43197 "
                + "(plain http:// only to a loopback address); nothing was sent\n")
    }

    @Test(
        "a stale lock's hint repeats the -f or --state the user gave, and its command removes that lock",
        arguments: [
            (["-f", "quickstart.yaml"], "quickstart.state.json", "`vpnform force-unlock -f quickstart.yaml`"),
            (
                ["-f", "quickstart.yaml", "--state", "other.json"], "other.json",
                "`vpnform force-unlock -f quickstart.yaml --state other.json`"
            ),
        ])
    func staleLockHint(arguments: [String], state: String, hint: String) throws {
        let ws = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        let host = ProcessInfo.processInfo.hostName
        let holder = "{\"command\": \"apply\", \"host\": \"\(host)\", \"pid\": 2147483000, \"time\": \"T\"}\n"
        for command in [["plan"], ["apply", "--auto-approve"]] {
            ws.write(state + ".lock", holder)
            let r = try BinaryRunner.run(command + arguments, environment: Self.keys, in: ws.url)
            #expect(r.status == 1)
            #expect(r.stderr.contains("hint: if no apply is in progress, remove the lock with \(hint)"), "\(r.stderr)")
            let unlock = hint.dropFirst("`vpnform ".count).dropLast().split(separator: " ").map(String.init)
            #expect(try BinaryRunner.run(unlock, in: ws.url).status == 0)
            #expect(!ws.exists(state + ".lock"), "the hint's command removed the lock")
        }
    }

    @Test("plan and apply word a held lock the same way; the wait is the timeout, and none is said when there was none")
    func lockMessages() throws {
        let ws = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        let host = ProcessInfo.processInfo.hostName
        let holder = "{\"command\": \"apply\", \"host\": \"\(host)\", \"pid\": \(getpid()), \"time\": \"T\"}\n"
        ws.write("quickstart.state.json.lock", holder)
        let expected =
            "quickstart.state.json: error: the state is locked%@: held by pid \(getpid()) on host "
            + "\(ProcessInfo.processInfo.hostName) (apply) since T\n  hint: %@\n"
        for (timeout, wait, hint) in [
            ("0s", "", "retry later, or wait with --lock-timeout (e.g. 30s)"),
            ("1s", " after waiting 1 s", "retry later, or wait longer with --lock-timeout"),
        ] {
            let plan = try BinaryRunner.run(["plan", "quickstart.yaml", "--lock-timeout", timeout], in: ws.url)
            let apply = try BinaryRunner.run(
                ["apply", "quickstart.yaml", "--auto-approve", "--lock-timeout", timeout],
                environment: Self.keys, in: ws.url)
            let message = String(format: expected, wait, hint)
            #expect(plan.status == 1 && plan.stderr == message, "\(plan.stderr)")
            #expect(apply.status == 1 && apply.stderr == message, "\(apply.stderr)")
        }
    }

    @Test("an apply in which every pair failed says so: Apply failed, not Apply complete")
    func failedWording() throws {
        let ws = Scratch().copy("examples/quickstart.yaml")
        // Every batch-create is refused (400, route quota): each pair fails on its own, after the live read passed.
        let emulator = try EmulatorProcess(arguments: ["--fault", "batch-create:400:1"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("quickstart.yaml"))
        defer { emulator.stop() }
        let r = try BinaryRunner.run(
            ["apply", "quickstart.yaml", "--endpoint", emulator.endpoint, "--auto-approve"],
            environment: emulator.clientEnvironment.merging(Self.keys.filter { $0.key.hasPrefix("PSK") }) { $1 },
            in: ws.url)
        #expect(r.status == 1)
        #expect(r.stderr.contains("Apply failed: 0 pairs applied, 2 failed in "), "\(r.stderr)")
    }

    @Test("apply --json: a failure is an object {http_status, error_code, error_msg, request_id}")
    func jsonFailures() throws {
        let ws = Scratch().copy("examples/quickstart.yaml")
        // Every batch-create is refused (400, route quota): each pair fails on its own, after the live read passed.
        let emulator = try EmulatorProcess(arguments: ["--fault", "batch-create:400:1"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("quickstart.yaml"))
        defer { emulator.stop() }
        let r = try BinaryRunner.run(
            ["apply", "quickstart.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--json"],
            environment: emulator.clientEnvironment.merging(Self.keys.filter { $0.key.hasPrefix("PSK") }) { $1 },
            in: ws.url)
        #expect(r.status == 1)
        let events = try r.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let failures = events.filter { $0["result"] as? String == "failed" }
        #expect(failures.count == 2)
        for f in failures {
            let error = try #require(f["error"] as? [String: Any])
            #expect(Set(error.keys) == ["http_status", "error_code", "error_msg", "request_id"])
            #expect(error["http_status"] as? Int == 400)
            #expect(error["error_code"] as? String == "VPN.0218")
            #expect((error["error_msg"] as? String)?.contains("route quota") == true)
            #expect((error["request_id"] as? String)?.count == 32)
        }
        #expect(events.last?["event"] as? String == "summary" && events.last?["failed"] as? Int == 2)
    }

    @Test(
        "a YAML syntax error shows its line with a caret under the position, and a hint for the common mistakes",
        arguments: [
            ("gateways:\n  - name: hq1️⃣: main\n", "a value that contains \": \" must be quoted"),
            ("gateways:\n  - name: hq\n     id1️⃣: x\n", "this line is probably indented deeper than the key above it"),
            ("gateways:\n  - name: hq\n1️⃣\tid: x\n", "YAML does not allow tabs for indentation: indent with spaces"),
            ("gateways:\n  - ips:\n      - a\n     1️⃣- b\n", "line 4 is indented by 5 spaces, the line above by 6"),
        ])
    func syntaxExcerpt(source: String, hint: String) throws {
        let marked = MarkedSource(source)
        let mark = try #require(marked.mark)
        let ws = Scratch()
        ws.write("vpn.yaml", marked.text)
        let r = try BinaryRunner.run(["validate", "vpn.yaml"], in: ws.url)
        #expect(r.status == 1)
        let line = marked.text.split(separator: "\n", omittingEmptySubsequences: false)[mark.line - 1]
        let gutter = String(repeating: " ", count: String(mark.line).count)
        let pad = line.prefix(mark.column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        #expect(r.stderr.contains("vpn.yaml:\(mark.line):\(mark.column): error: syntax error: "), "\(r.stderr)")
        #expect(r.stderr.contains("\n \(mark.line) | \(line)\n \(gutter) | \(pad)^\n"), "\(r.stderr)")
        #expect(r.stderr.contains("  hint: \(hint)"), "\(r.stderr)")
    }

    @Test("a region typo gets a did-you-mean")
    func regionSuggestion() throws {
        let ws = Scratch()
        ws.write(
            "vpn.yaml",
            Scratch().copy("examples/quickstart.yaml").read("quickstart.yaml")
                .replacingOccurrences(of: "region: cn-north-4", with: "region: cn-nort-4"))
        let r = try BinaryRunner.run(["validate", "vpn.yaml"], in: ws.url)
        #expect(
            r.stderr.contains(
                "warning: region: \"cn-nort-4\" is not a region Huawei's VPN SDK lists (did you mean \"cn-north-4\"?)"),
            "\(r.stderr)")
    }

    @Test("the desired file as a positional FILE or -f=FILE; both ways at once is a usage error")
    func fileArguments() throws {
        let valid = "examples/quickstart.yaml: valid: 1 gateway, 2 pairs (4 API connections)\n"
        for args in [
            ["validate", "examples/quickstart.yaml"], ["validate", "-f=examples/quickstart.yaml"],
            ["validate", "--file=examples/quickstart.yaml"],
        ] {
            let r = try BinaryRunner.run(args)
            #expect(r.status == 0 && r.stdout == valid, "\(args): \(r.stderr)")
        }
        let plan = try BinaryRunner.run(["plan", "examples/quickstart.yaml"], environment: ["NO_COLOR": "1"])
        #expect(plan.status == 0 && plan.stdout.contains("Plan: 1 to create, 1 to update in place"))
        let both = try BinaryRunner.run(["plan", "examples/quickstart.yaml", "-f", "examples/policy.yaml"])
        #expect(
            both.status == 64
                && both.stderr.hasPrefix("error: give the desired file either as FILE or with -f, not both\n"))
        let ws = Scratch().copy("examples/quickstart.yaml")
        let apply = try BinaryRunner.run(
            ["apply", "quickstart.yaml", "--emulator", "--auto-approve", "--quiet"], in: ws.url)
        #expect(apply.status == 0 && ws.exists("quickstart.emulator.state.json"), "\(apply.stderr)")
    }

    @Test("state list --json: every pair with its status, gateway, customer gateway and connections")
    func stateListJSON() throws {
        let r = try BinaryRunner.run(["state", "list", "--json", "-f", "examples/quickstart.yaml"])
        #expect(r.status == 0)
        let pairs = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(pairs.map { $0["address"] as? String } == ["hq/chengdu", "hq/shanghai"])
        let first = try #require(pairs.first?["connections"] as? [[String: Any]])
        #expect(first.first?["id"] as? String == "0b9e3f57-8c2d-4a16-b7e0-3d5f9c1a2e84")
        #expect(first.first?["name"] as? String == "hq-chengdu-1")
        #expect(pairs.first?["status"] as? String == "created")
    }

    @Test("state list says when there is no state file yet, and not when there is one (or only a journal)")
    func stateListWithoutState() throws {
        let ws = Scratch()
        let missing = try BinaryRunner.run(["state", "list", "--state", ws.path("none.state.json")])
        #expect(missing.status == 0 && missing.stderr.contains("no state file yet"), "\(missing.stderr)")
        let present = try BinaryRunner.run(["state", "list", "-f", "examples/quickstart.yaml"])
        #expect(present.status == 0 && !present.stderr.contains("no state file yet"), "\(present.stderr)")
        _ = ws.write("only.state.json.journal", "")
        let journal = try BinaryRunner.run(["state", "list", "--state", ws.path("only.state.json")])
        #expect(!journal.stderr.contains("no state file yet"), "\(journal.stderr)")
    }

    @Test(
        "help columns line up, in the overview and in every command's help",
        arguments: [
            "--help", "validate --help", "plan --help", "apply --help", "state --help", "force-unlock --help",
            "emulator --help", "version --help", "completion --help",
        ])
    func helpColumns(arguments: String) throws {
        let r = try BinaryRunner.run(arguments.split(separator: " ").map(String.init))
        #expect(r.status == 0)
        let section = r.stdout.components(separatedBy: arguments == "--help" ? "COMMANDS:\n" : "OPTIONS:\n").last!
        let rows = section.split(separator: "\n").prefix { $0.hasPrefix("  ") }
        #expect(!rows.isEmpty)
        // The second column starts at the same place on every row, at least two spaces after the longest first one.
        let starts = Set(
            rows.map { row -> Int in
                let text = row.dropFirst(2)
                let gap = text.firstRange(of: "   ")!.lowerBound
                return text.distance(from: text.startIndex, to: text[gap...].firstIndex { $0 != " " }!)
            })
        #expect(starts.count == 1, "\(rows)")
    }

    @Test("plan --check-env lists what apply reads, says which are missing, exits 1, and never prints a value")
    func checkEnv() throws {
        let env = [
            "PSK_SHANGHAI": "Shanghai-Key-2024", "HW_ACCESS_KEY": "AK0000000000", "HUAWEICLOUD_SDK_SK": "",
            "HUAWEICLOUD_SDK_AK": "", "PSK_GUANGZHOU": "", "HW_SECRET_KEY": "",
        ]
        let ws = Scratch().copy("examples/quickstart.yaml")
        let r = try BinaryRunner.run(["plan", "quickstart.yaml", "--check-env"], environment: env, in: ws.url)
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                An apply of this plan reads:
                  set      HUAWEICLOUD_SDK_AK or HW_ACCESS_KEY   access key
                  MISSING  HUAWEICLOUD_SDK_SK or HW_SECRET_KEY   secret key
                  MISSING  PSK_GUANGZHOU                         pre-shared key of hq/guangzhou
                  set      PSK_SHANGHAI                          pre-shared key of hq/shanghai

                """)
        #expect(r.stderr.contains("error: PSK_GUANGZHOU is not set (pre-shared key of hq/guangzhou)"))
        #expect(!(r.stdout + r.stderr).contains("Shanghai-Key-2024") && !(r.stdout + r.stderr).contains("AK0000000000"))
        let all = try BinaryRunner.run(
            ["plan", "quickstart.yaml", "--check-env"],
            environment: env.merging(Self.keys) { $1 }, in: ws.url)
        #expect(all.status == 0 && !all.stdout.contains("MISSING"))
    }
}

/// `vpnform version` and `vpnform completion`.
@Suite struct VersionAndCompletionTests {
    @Test("version prints the version, the git commit it was built from and the build date")
    func version() throws {
        for args in [["version"], ["--version"]] {
            let r = try BinaryRunner.run(args)
            #expect(r.status == 0)
            // The commit of this checkout's history the binary was built from: HEAD, or an
            // earlier commit when one landed after the last build (`swift test` alone need not
            // relink the executable).
            let commit = try #require(r.stdout.firstRange(of: "(commit ").map {
                String(r.stdout[$0.upperBound...].prefix { $0.isHexDigit })
            })
            #expect(r.stdout.hasPrefix("vpnform 0.1.0 (commit \(commit)"), "\(r.stdout)")
            #expect(commit.count == 12, "\(r.stdout)")
            let ancestor = try ProcessRunner.run(tool: "git", ["merge-base", "--is-ancestor", commit, "HEAD"])
            #expect(ancestor.status == 0, "\(r.stdout) is not a commit of this checkout's history")
            let day = ISO8601DateFormatter.string(
                from: Date(), timeZone: TimeZone(identifier: "UTC")!,
                formatOptions: [.withFullDate])
            // Built today or earlier: the date is a real day, not a placeholder.
            let built = try #require(
                r.stdout.firstRange(of: "built ").map { String(r.stdout[$0.upperBound...].prefix(10)) })
            #expect(built.count == 10 && built <= day, "\(r.stdout)")
        }
    }

    /// Runs bash completion for a command line (the word under the cursor last) and returns the candidates.
    static func complete(_ words: [String], in dir: URL) throws -> [String] {
        let script = try BinaryRunner.run(["completion", "bash"]).stdout
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let run = """
            \(script)
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _vpnform; printf '%s\\n' "${COMPREPLY[@]}"
            """
        let r = try ProcessRunner.run(tool: "bash", ["-c", run], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test("bash completion offers commands, each command's options, option values, subcommands and files")
    func bash() throws {
        let ws = Scratch().copy("examples/quickstart.yaml")
        #expect(try Self.complete(["vpnform", "pl"], in: ws.url) == ["plan"])
        #expect(try Self.complete(["vpnform", "plan", "--det"], in: ws.url) == ["--detailed-exitcode"])
        #expect(try Self.complete(["vpnform", "plan", "--check"], in: ws.url) == ["--check-env"])
        #expect(try Self.complete(["vpnform", "validate", "--format", "g"], in: ws.url) == ["github"])
        #expect(try Self.complete(["vpnform", "state", "l"], in: ws.url) == ["list"])
        #expect(try Self.complete(["vpnform", "apply", "-f", "quick"], in: ws.url) == ["quickstart.yaml"])
        #expect(try Self.complete(["vpnform", "completion", "f"], in: ws.url) == ["fish"])
    }

    @Test("the zsh and fish scripts parse (where the shells are installed); an unknown shell is a usage error")
    func otherShells() throws {
        for (shell, args) in [("zsh", ["-n"]), ("fish", ["--no-execute"])] {
            let script = try BinaryRunner.run(["completion", shell])
            #expect(script.status == 0 && !script.stdout.isEmpty)
            guard (try? ProcessRunner.run(tool: "sh", ["-c", "command -v \(shell)"]))?.status == 0 else { continue }
            let ws = Scratch()
            let r = try ProcessRunner.run(tool: shell, args + [ws.write("vpnform.\(shell)", script.stdout)])
            #expect(r.status == 0, "\(shell): \(r.stderr)")
        }
        #expect(try BinaryRunner.run(["completion", "tcsh"]).status == 64)
    }
}

/// What the README shows is what the binary prints.
@Suite struct ReadmeTests {
    @Test("the README's `vpnform --help` block is the real output")
    func help() throws {
        let readme = try String(contentsOf: Repository.url("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "`vpnform --help`:\n\n```\n"))
        let end = try #require(readme[start.upperBound...].range(of: "```\n"))
        let shown = String(readme[start.upperBound..<end.lowerBound])
        let real = try BinaryRunner.run(["--help"])
        #expect(real.status == 0)
        #expect(shown == real.stdout, "update README.md's `vpnform --help` block")
    }
}

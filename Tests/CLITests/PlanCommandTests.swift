import Foundation
import TestSupport
import Testing

/// `vpnform plan`, `state` and `force-unlock` through the real binary.
@Suite struct PlanCommandTests {

    @Test("the quickstart with its example state shows a mixed plan; --detailed-exitcode says 2")
    func mixedPlan() throws {
        let r = try BinaryRunner.run(["plan", "-f", "examples/quickstart.yaml", "--detailed-exitcode"], environment: ["NO_COLOR": "1"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stdout.contains("  + pair \"hq/guangzhou\" {"))
        #expect(r.stdout.contains("  ~ pair \"hq/shanghai\" {"))
        #expect(r.stdout.contains("      ~ ikepolicy.lifetime_seconds = 86400 -> 172800"))
        #expect(r.stdout.contains("  - pair \"hq/chengdu\" {"))
        #expect(r.stdout.hasSuffix("Plan: 1 to create, 1 to update in place, 0 to replace, 0 to recover, 1 to delete, 0 unchanged.\n"))
        #expect(!r.stdout.contains("\u{1B}["), "no colour when not on a terminal")
        let plain = try BinaryRunner.run(["plan", "-f", "examples/quickstart.yaml"])
        #expect(plain.status == 0)
    }

    @Test("plan --out saves the plan with the digests of both files; --json prints the same document")
    func savedPlan() throws {
        let scratch = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        let dir = scratch.url
        let r = try BinaryRunner.run(["plan", "-f", "quickstart.yaml", "--out", "saved.json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("saved.json"))) as! [String: Any]
        let desired = saved["desired_file"] as! [String: Any], state = saved["state_file"] as! [String: Any]
        let shasum = { (name: String) throws -> String in
            String(try ProcessRunner.run(tool: "sha256sum", [dir.appendingPathComponent(name).path]).stdout.prefix(64))
        }
        #expect(desired["sha256"] as? String == (try shasum("quickstart.yaml")))
        #expect(state["sha256"] as? String == (try shasum("quickstart.state.json")))
        #expect(state["lineage"] as? String == "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21")
        let json = try BinaryRunner.run(["plan", "-f", "quickstart.yaml", "--json"], in: dir)
        #expect(json.stdout == (try String(contentsOf: dir.appendingPathComponent("saved.json"), encoding: .utf8)))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("quickstart.state.json.lock").path))
    }

    @Test("no secret reaches a plan: a literal key is never printed or saved")
    func noSecretInPlan() throws {
        let scratch = Scratch().copy("examples/quickstart.yaml")
        let dir = scratch.url
        let yaml = try String(contentsOf: dir.appendingPathComponent("quickstart.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "${PSK_SHANGHAI}", with: "\"Canary-Secret-42\"")
        try yaml.write(to: dir.appendingPathComponent("quickstart.yaml"), atomically: true, encoding: .utf8)
        for flags in [[], ["--json"], ["--markdown"], ["--out", "p.json"]] {
            let r = try BinaryRunner.run(["plan", "-f", "quickstart.yaml"] + flags, in: dir)
            #expect(r.status == 0)
            #expect(!(r.stdout + r.stderr).contains("Canary-Secret-42"))
        }
        #expect(!(try String(contentsOf: dir.appendingPathComponent("p.json"), encoding: .utf8)).contains("Canary-Secret-42"))
    }

    @Test("--json and --markdown together are a usage error; a bad duration too")
    func usage() throws {
        #expect(try BinaryRunner.run(["plan", "-f", "examples/quickstart.yaml", "--json", "--markdown"]).status == 64)
        #expect(try BinaryRunner.run(["plan", "-f", "examples/quickstart.yaml", "--lock-timeout", "soon"]).status == 64)
    }

    @Test("a truncated or garbage state file is a clear error, exit 1, and stays byte for byte")
    func damagedState() throws {
        let scratch = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        let dir = scratch.url
        let stateURL = dir.appendingPathComponent("quickstart.state.json")
        let full = try Data(contentsOf: stateURL)
        for damaged in [full.prefix(full.count / 2), Data("garbage\u{0}".utf8)] {
            try damaged.write(to: stateURL)
            let r = try BinaryRunner.run(["plan", "-f", "quickstart.yaml"], in: dir)
            #expect(r.status == 1)
            #expect(r.stderr.contains("quickstart.state.json:"))
            #expect(r.stderr.contains("error: invalid state file") || r.stderr.contains("error:"))
            #expect(try Data(contentsOf: stateURL) == damaged)
        }
    }

    @Test("a held lock: plan waits --lock-timeout, then fails naming the holder; force-unlock removes it")
    func locked() throws {
        let scratch = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        let dir = scratch.url
        let lock = dir.appendingPathComponent("quickstart.state.json.lock")
        // A live holder: this test process.
        let holder = "{\"command\": \"apply\", \"host\": \"\(ProcessInfo.processInfo.hostName)\", \"pid\": \(getpid()), \"time\": \"2026-11-27T05:00:00Z\"}\n"
        try holder.write(to: lock, atomically: true, encoding: .utf8)
        let start = Date()
        let r = try BinaryRunner.run(["plan", "-f", "quickstart.yaml", "--lock-timeout", "1s"], in: dir)
        #expect(Date().timeIntervalSince(start) >= 1)
        #expect(r.status == 1)
        #expect(r.stderr.contains("the state is locked after waiting"))
        #expect(r.stderr.contains("held by pid \(getpid()) on host"))
        #expect(r.stderr.contains("(apply) since 2026-11-27T05:00:00Z"))
        let unlock = try BinaryRunner.run(["force-unlock", "-f", "quickstart.yaml"], in: dir)
        #expect(unlock.status == 0)
        #expect(unlock.stdout.contains("Removed the lock"))
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        #expect(try BinaryRunner.run(["plan", "-f", "quickstart.yaml"], in: dir).status == 0)
    }

    @Test("state list and state show")
    func stateCommands() throws {
        let list = try BinaryRunner.run(["state", "list", "-f", "examples/quickstart.yaml"])
        #expect(list.status == 0)
        #expect(list.stdout == """
            hq/chengdu\tcreated\t0b9e3f57-8c2d-4a16-b7e0-3d5f9c1a2e84,e4a1c7d9-2f60-4b38-8e5a-61c9d0b7f2a3
            hq/shanghai\tcreated\t5ddf5d02-c746-4075-be4b-95e9213e1c3c,bb3632dd-f517-4e94-96b7-977c70d28966

            """)
        let show = try BinaryRunner.run(["state", "show", "hq/shanghai", "--state", "examples/quickstart.state.json"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("hq-shanghai-1 on 0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4: 5ddf5d02-c746-4075-be4b-95e9213e1c3c"))
        #expect(show.stdout.contains("spec.ikepolicy.lifetime_seconds"))
        let missing = try BinaryRunner.run(["state", "show", "hq/shanghia", "--state", "examples/quickstart.state.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("did you mean \"hq/shanghai\""))
        #expect(try BinaryRunner.run(["state", "frob"]).status == 64)
    }
}

import EstateGenerator
import Foundation
import TestSupport
import Testing

/// Issue #14's bugs, through the real binary: each as a new user met it.
@Suite struct FirstDayBugTests {
    @Test("apply PLANFILE --emulator never touches the real state; a plan made for the emulator's state applies")
    func savedPlanWithEmulator() throws {
        let ws = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        let before = ws.bytes("quickstart.state.json")
        #expect(try BinaryRunner.run(["plan", "-f", "quickstart.yaml", "--out", "q.plan"], in: ws.url).status == 0)
        let refused = try BinaryRunner.run(["apply", "q.plan", "--emulator"], in: ws.url)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "an --emulator run uses quickstart.emulator.state.json and never touches quickstart.state.json"))
        #expect(
            refused.stderr.contains(
                "hint: make a plan for the emulator with `vpnform plan -f quickstart.yaml --state "
                    + "quickstart.emulator.state.json --out PLANFILE`"))
        #expect(ws.bytes("quickstart.state.json") == before)
        #expect(!ws.exists("quickstart.emulator.state.json"))

        let planned = try BinaryRunner.run(
            [
                "plan", "-f", "quickstart.yaml", "--state", "quickstart.emulator.state.json",
                "--out", "e.plan",
            ], in: ws.url)
        #expect(planned.status == 0)
        let applied = try BinaryRunner.run(["apply", "e.plan", "--emulator"], in: ws.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr.contains("State: quickstart.emulator.state.json"))
        #expect(ws.bytes("quickstart.state.json") == before)
    }

    @Test("a pre-shared key from the environment that breaks the rules stops the apply before any call")
    func invalidKeyFromEnvironment() throws {
        let ws = Scratch().copy("examples/quickstart.yaml")
        let emulator = try EmulatorProcess(dataFile: ws.url("emulator.json"), gatewaysFrom: ws.url("quickstart.yaml"))
        defer { emulator.stop() }
        let env = emulator.clientEnvironment.merging(["PSK_GUANGZHOU": "short", "PSK_SHANGHAI": "Shanghai-Key-2024"]) {
            $1
        }
        let r = try BinaryRunner.run(
            ["apply", "-f", "quickstart.yaml", "--endpoint", emulator.endpoint, "--auto-approve"],
            environment: env, in: ws.url)
        #expect(r.status == 1)
        #expect(
            r.stderr.contains(
                "error: PSK_GUANGZHOU: pre-shared key must be 8-128 characters (it has 5); nothing was sent"))
        #expect(!(r.stdout + r.stderr).contains("short\""))
        #expect(try emulator.connections().isEmpty)
        #expect(!ws.exists("quickstart.state.json"))
    }

    @Test("an empty environment variable counts as unset: HUAWEICLOUD_SDK_PROJECT_ID= is no project id")
    func emptyEnvironmentValues() throws {
        let ws = Scratch()
        ws.write(
            "vpn.yaml",
            Scratch().copy("examples/quickstart.yaml").read("quickstart.yaml")
                .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("project_id:") }
                .joined(separator: "\n"))
        let emulator = try EmulatorProcess(dataFile: ws.url("emulator.json"), gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        var env = emulator.clientEnvironment.merging([
            "PSK_GUANGZHOU": "Guangzhou-Key-1", "PSK_SHANGHAI": "Shanghai-Key-1",
        ]) { $1 }
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = ""
        let empty = try BinaryRunner.run(
            ["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve"],
            environment: env, in: ws.url)
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("error: no project id: set project_id in vpn.yaml or HUAWEICLOUD_SDK_PROJECT_ID"))
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = "not-a-project"
        let bad = try BinaryRunner.run(
            ["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve"],
            environment: env, in: ws.url)
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains(
                "HUAWEICLOUD_SDK_PROJECT_ID: expected a project id of 32 hexadecimal characters, "
                    + "got \"not-a-project\"; nothing was sent"))
        env["HUAWEICLOUD_SDK_SK"] = ""
        env["HUAWEICLOUD_SDK_PROJECT_ID"] = "0123456789abcdef0123456789abcdef"
        let noSK = try BinaryRunner.run(
            ["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve"],
            environment: env, in: ws.url)
        #expect(noSK.status == 1)
        #expect(noSK.stderr.contains("error: no credentials"))
        #expect(try emulator.connections().isEmpty)
    }
}

/// The example workflow and the schemas, checked by the tools users run (skipped where the tool
/// is not installed; `.ci/run` installs both).
@Suite struct ExampleToolingTests {
    static func has(_ tool: String) -> Bool {
        (try? ProcessRunner.run(tool: "sh", ["-c", "command -v \(tool)"]))?.status == 0
    }

    @Test(
        "check-jsonschema passes from the repository root and from elsewhere, offline",
        .enabled(if: has("check-jsonschema")))
    func schemas() throws {
        let root = try ProcessRunner.run(
            tool: "check-jsonschema",
            [
                "--schemafile", "schemas/vpnform.schema.json", "examples/quickstart.yaml",
                "examples/policy.yaml", "examples/estate.yaml",
            ])
        #expect(root.status == 0, "\(root.stdout)\(root.stderr)")
        let elsewhere = Scratch()
        let state = try ProcessRunner.run(
            tool: "check-jsonschema",
            [
                "--schemafile", Repository.url("schemas/state.schema.json").path,
                Repository.url("examples/quickstart.state.json").path,
            ], in: elsewhere.url)
        #expect(state.status == 0, "\(state.stdout)\(state.stderr)")
        for name in ["vpnform", "state", "plan"] {
            let text = try String(contentsOf: Repository.url("schemas/\(name).schema.json"), encoding: .utf8)
            #expect(text.contains("\"$id\": \"https://vpnform.invalid/schemas/\(name).schema.json\""))
        }
    }

    @Test("the example workflow is actionlint-clean, on node24 majors, and says what apply does")
    func workflow() throws {
        let path = Repository.url("examples/workflows/vpnform.yml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The first node24 major of each action the workflow uses.
        let minimum = [
            "actions/checkout": 5, "actions/cache": 5, "actions/github-script": 8, "actions/upload-artifact": 6,
        ]
        for line in text.split(separator: "\n") where line.contains("uses: ") {
            let use = line.split(separator: "uses: ")[1].split(separator: " ")[0]
            let parts = use.split(separator: "@v")
            guard parts.count == 2, let floor = minimum[String(parts[0])] else { continue }
            #expect(Int(parts[1]) ?? 0 >= floor, "\(use) runs on a removed Node runtime")
        }
        #expect(!text.contains("will apply the changes below"))
        #expect(text.contains("as listed above"))
        #expect(text.contains("'replace', 'replaces (tunnel down)'") && text.contains("'delete', 'deletes'"))
        if Self.has("actionlint") {
            let lint = try ProcessRunner.run(tool: "actionlint", [path])
            #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        }
    }
}

import Foundation
import TestSupport
import Testing
import VPNApply
import VPNCrypto
import VPNForm

/// The apply use case's pre-flight, in process: every check that stops an apply before its first
/// call, and what it leaves on disk (nothing).
@Suite struct ApplySessionTests {
    static let keys = ["PSK_SHANGHAI": "Shanghai-Key-2024", "PSK_GUANGZHOU": "Guangzhou-Key-2024"]
    static let credentials = ["HUAWEICLOUD_SDK_AK": "AK0000000000", "HUAWEICLOUD_SDK_SK": "sk-0000000000"]

    /// A scratch folder with the quickstart (optionally without its project id) and its example state.
    static func workspace(projectID: Bool = true) -> Scratch {
        let scratch = Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
        if !projectID {
            scratch.write(
                "quickstart.yaml",
                scratch.read("quickstart.yaml").split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("project_id:") }.joined(separator: "\n"))
        }
        return scratch
    }

    static func open(
        _ scratch: Scratch, _ source: ApplyRequest.Source? = nil, state: String? = nil, endpoint: String? = nil,
        emulator: Bool = false, environment: [String: String]
    ) async -> Result<ApplySession, ApplyFailure> {
        let request = ApplyRequest(
            source: source ?? .desiredFile(scratch.path("quickstart.yaml")),
            statePath: state.map(scratch.path), endpoint: endpoint, emulator: emulator,
            environment: environment)
        do { return .success(try await ApplySession.open(request)) } catch { return .failure(error) }
    }

    static func failure(_ result: Result<ApplySession, ApplyFailure>) -> ApplyFailure? {
        switch result {
        case .success(let session): session.close(); return nil
        case .failure(let failure): return failure
        }
    }

    /// Saves the plan of the scratch folder's quickstart and state as `q.plan`, as `plan --out` does.
    static func savePlan(_ scratch: Scratch) throws {
        let state = try StateStore(path: scratch.path("quickstart.state.json")).load()
        let desired = DesiredStateLoader().load(
            bytes: scratch.bytes("quickstart.yaml")!, file: scratch.path("quickstart.yaml"))
        let plan = Planner.plan(desired: desired.state!, state: state.state)
        let document = PlanDocument(
            plan: plan, desiredPath: scratch.path("quickstart.yaml"), desiredSHA256: desired.sha256!,
            statePath: scratch.path("quickstart.state.json"),
            stateSHA256: state.bytes.map { SHA256.hex($0) }, lineage: state.state.lineage)
        scratch.write("q.plan", document.rendered())
    }

    @Test("a saved plan whose desired file, state or own text changed is refused before anything is sent",
          arguments: ["desired", "state", "plan"])
    func savedPlanTampered(what: String) async throws {
        let scratch = Self.workspace()
        try Self.savePlan(scratch)
        switch what {
        case "desired": scratch.write("quickstart.yaml", scratch.read("quickstart.yaml") + "\n# edited\n")
        case "state": scratch.write("quickstart.state.json", scratch.read("quickstart.state.json") + " ")
        default:
            scratch.write("q.plan", scratch.read("q.plan").replacingOccurrences(of: "\"delete\"", with: "\"no-op\""))
        }
        let before = scratch.bytes("quickstart.state.json")
        let env = Self.keys.merging(Self.credentials) { $1 }
        let failure = Self.failure(await Self.open(scratch, .savedPlan(scratch.path("q.plan")), environment: env))
        let expected: [String: ApplyFailure] = [
            "desired": .desiredChanged(path: scratch.path("quickstart.yaml")),
            "state": .stateChanged(path: scratch.path("quickstart.state.json")),
            "plan": .planEdited(path: scratch.path("quickstart.yaml")),
        ]
        #expect(failure == expected[what])
        #expect(scratch.bytes("quickstart.state.json") == before)
        #expect(!scratch.exists("quickstart.state.json.lock"))
    }

    @Test("apply PLANFILE --emulator with a plan of the real state is refused, and the real state is untouched")
    func savedPlanWithEmulator() async throws {
        let scratch = Self.workspace()
        let before = scratch.bytes("quickstart.state.json")
        try Self.savePlan(scratch)
        let result = await Self.open(scratch, .savedPlan(scratch.path("q.plan")), emulator: true, environment: [:])
        #expect(
            Self.failure(result)
                == .planForOtherState(
                    desired: scratch.path("quickstart.yaml"),
                    planned: scratch.path("quickstart.state.json"),
                    state: scratch.path("quickstart.emulator.state.json")))
        #expect(scratch.bytes("quickstart.state.json") == before)
        #expect(!scratch.exists("quickstart.emulator.state.json.lock") && !scratch.exists("quickstart.state.json.lock"))
    }

    @Test("an emulator run from the desired file uses FILE.emulator.state.json and creates every pair")
    func emulatorRun() async throws {
        let scratch = Self.workspace()
        let before = scratch.bytes("quickstart.state.json")
        let session = try #require(try? await Self.open(scratch, emulator: true, environment: [:]).get())
        #expect(session.statePath == scratch.path("quickstart.emulator.state.json"))
        #expect(session.throwawayKeys == ["PSK_GUANGZHOU", "PSK_SHANGHAI"])
        let report = await session.run()
        session.close()
        #expect(report.succeeded == 2 && report.failed == 0)
        #expect(scratch.exists("quickstart.emulator.state.json"))
        #expect(scratch.bytes("quickstart.state.json") == before)
    }

    @Test(
        "pre-shared keys: unset and empty are missing, and a key that breaks the rules is refused by name",
        arguments: [
            (["PSK_SHANGHAI": "Shanghai-Key-2024"], ApplyFailure.missingKeys(names: ["PSK_GUANGZHOU"])),
            (["PSK_SHANGHAI": "Shanghai-Key-2024", "PSK_GUANGZHOU": ""], .missingKeys(names: ["PSK_GUANGZHOU"])),
            (
                ["PSK_SHANGHAI": "Shanghai-Key-2024", "PSK_GUANGZHOU": "short"],
                .invalidKeys([
                    .init(variable: "PSK_GUANGZHOU", problem: "pre-shared key must be 8-128 characters (it has 5)")
                ])
            ),
            (
                ["PSK_SHANGHAI": "alllowercaseletters", "PSK_GUANGZHOU": "Guangzhou-Key-2024"],
                .invalidKeys([
                    .init(
                        variable: "PSK_SHANGHAI",
                        problem:
                            "pre-shared key must use at least 3 of: upper case, lower case, digits, special characters")
                ])
            ),
        ])
    func keys(environment: [String: String], expected: ApplyFailure) async {
        let scratch = Self.workspace()
        scratch.write("quickstart.state.json", "")
        try? FileManager.default.removeItem(atPath: scratch.path("quickstart.state.json"))
        let failure = Self.failure(await Self.open(scratch, environment: environment.merging(Self.credentials) { $1 }))
        #expect(failure == expected)
        #expect(!scratch.exists("quickstart.state.json"), "nothing written")
    }

    @Test(
        "credentials, project id and endpoint are checked before any call",
        arguments: [
            (true, [:], nil, ApplyFailure.noCredentials),
            (false, credentials.merging(["HUAWEICLOUD_SDK_PROJECT_ID": ""]) { $1 }, nil, .noProjectID(desiredPath: "")),
            (
                false, credentials.merging(["HUAWEICLOUD_SDK_PROJECT_ID": "my-project"]) { $1 }, nil,
                .invalidProjectID(variable: "HUAWEICLOUD_SDK_PROJECT_ID", value: "my-project")
            ),
            (
                true, credentials, "127.0.0.1:43197",
                .invalidEndpoint(
                    "127.0.0.1:43197",
                    problem: "the scheme is missing: write https://127.0.0.1:43197 "
                        + "(plain http:// only to a loopback address)")
            ),
        ] as [(Bool, [String: String], String?, ApplyFailure)])
    func target(projectID: Bool, environment: [String: String], endpoint: String?, expected: ApplyFailure) async {
        let scratch = Self.workspace(projectID: projectID)
        try? FileManager.default.removeItem(atPath: scratch.path("quickstart.state.json"))
        var expected = expected
        if case .noProjectID = expected { expected = .noProjectID(desiredPath: scratch.path("quickstart.yaml")) }
        let failure = Self.failure(
            await Self.open(scratch, endpoint: endpoint, environment: environment.merging(Self.keys) { $1 }))
        #expect(failure == expected)
        #expect(!scratch.exists("quickstart.state.json") && !scratch.exists("quickstart.state.json.lock"))
    }

    @Test("a lock left by a process that is gone: a located state error naming the stale holder")
    func staleLock() async {
        let scratch = Self.workspace()
        let host = ProcessInfo.processInfo.hostName
        let holder = "{\"command\": \"apply\", \"host\": \"\(host)\", \"pid\": 999999, \"time\": \"T\"}\n"
        scratch.write("quickstart.state.json.lock", holder)
        guard
            case .state(.locked(let path, let found, let waited)) = Self.failure(
                await Self.open(scratch, environment: Self.keys))
        else { Issue.record("expected a lock error"); return }
        #expect(path == scratch.path("quickstart.state.json"))
        #expect(found.isStale && found.pid == 999999 && waited == 0)
        #expect(scratch.exists("quickstart.state.json.lock"), "someone else's lock is left alone")
    }

    @Test("a desired file with errors returns its diagnostics, and a changed file refuses a saved plan")
    func inputs() async {
        let scratch = Self.workspace()
        scratch.write("bad.yaml", "version: 2\n")
        guard
            case .invalidDesired(let path, let diagnostics) = Self.failure(
                await Self.open(scratch, .desiredFile(scratch.path("bad.yaml")), environment: Self.keys))
        else { Issue.record("expected diagnostics"); return }
        #expect(path == scratch.path("bad.yaml") && diagnostics.hasErrors)
        #expect(
            Self.failure(await Self.open(scratch, .savedPlan(scratch.path("missing.plan")), environment: [:]))
                .map { if case .planUnreadable = $0 { true } else { false } } == true)
    }
}

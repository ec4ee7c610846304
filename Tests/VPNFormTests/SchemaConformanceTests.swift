import Foundation
import TestSupport
import Testing
import VPNForm

/// What vpnform writes validates against the JSON Schemas it publishes (checked by Python's
/// jsonschema, which `.ci/run` installs).
@Suite struct SchemaConformanceTests {
    func check(schema: String, files: [String]) throws -> (Int32, String) {
        let r = try ProcessRunner.run(tool: "python3", [Repository.url("Tests/Schema/check_outputs.py").path,
                                                        Repository.url("schemas/\(schema)").path] + files)
        return (r.status, r.stdout + r.stderr)
    }

    @Test("produced state files and plans validate against schemas/state.schema.json and plan.schema.json")
    func conformance() throws {
        let scratch = Scratch()
        let d = desired(MixedPlan.yaml)
        let state = MixedPlan.state(for: d)
        let statePath = scratch.path("mixed.state.json")
        try StateStore(path: statePath).save(state)
        let generatedState = applyingCreates(Planner.plan(desired: generated(40), state: StateFile(lineage: MixedPlan.lineage)),
                                             to: StateFile(lineage: MixedPlan.lineage))
        let bigPath = scratch.path("generated.state.json")
        try StateStore(path: bigPath).save(generatedState)
        let emptyPath = scratch.path("empty.state.json")
        try StateStore(path: emptyPath).save(StateFile(lineage: MixedPlan.lineage))
        let (stateStatus, stateOutput) = try check(schema: "state.schema.json", files: [statePath, bigPath, emptyPath])
        #expect(stateStatus == 0, "\(stateOutput)")

        let planPath = scratch.write("plan.json", PlanDocument(
            plan: Planner.plan(desired: d, state: state), desiredPath: "vpn.yaml", desiredSHA256: String(repeating: "a", count: 64),
            statePath: statePath, stateSHA256: nil, lineage: MixedPlan.lineage).rendered())
        let (planStatus, planOutput) = try check(schema: "plan.schema.json", files: [planPath])
        #expect(planStatus == 0, "\(planOutput)")
    }

    @Test("a refreshed plan with every kind of drift, and a state that records its cloud, validate")
    func refreshed() throws {
        let scratch = Scratch()
        var w = RefreshTests.World(pairs: 8)
        let addresses = w.state.pairs.keys.sorted { $0.rawValue < $1.rawValue }
        let deleted = Set(w.state.pairs[addresses[0]]!.connections.compactMap(\.id))
        w.live.connections.removeAll { deleted.contains($0.id) }
        let changed = w.state.pairs[addresses[1]]!.connections[0].id!
        if let i = w.live.connections.firstIndex(where: { $0.id == changed }) { w.live.connections[i].attributes["cgw_id"] = nil }
        w.state.pairs[addresses[2]] = nil
        w.live.connections.append(LiveConnection(id: ConnectionID("5ddf5d02-c746-4075-be4b-95e9213e1c3c"), name: "console-1",
                                                 gatewayID: w.desired.gateways[0].id.value, vgwIP: "x", status: "DOWN",
                                                 createdAt: nil, attributes: [:]))
        let plan = w.plan()
        #expect(Set(plan.drift.map(\.kindName)) == ["deleted", "changed", "adoptable", "unmanaged"])
        let planPath = scratch.write("refreshed.json", PlanDocument(
            plan: plan, desiredPath: "vpn.yaml", desiredSHA256: String(repeating: "a", count: 64),
            statePath: "vpn.state.json", stateSHA256: nil, lineage: MixedPlan.lineage).rendered())
        let (planStatus, planOutput) = try check(schema: "plan.schema.json", files: [planPath])
        #expect(planStatus == 0, "\(planOutput)")
        var state = w.state
        state.cloud = CloudTarget(projectID: "0123456789abcdef0123456789abcdef", region: "cn-north-4", endpoint: nil)
        let statePath = scratch.path("cloud.state.json")
        try StateStore(path: statePath).save(state)
        #expect(try StateStore(path: statePath).load().state == state, "the cloud target reads back")
        let (stateStatus, stateOutput) = try check(schema: "state.schema.json", files: [statePath])
        #expect(stateStatus == 0, "\(stateOutput)")
    }

    @Test("the schemas reject what vpnform must never write: a key in the spec")
    func rejects() throws {
        let scratch = Scratch()
        let text = String(decoding: MixedPlan.state(for: desired(MixedPlan.yaml)).serialized(), as: UTF8.self)
            .replacingOccurrences(of: "\"psk\": \"${PSK}\"", with: "\"psk\": \"Actual-Secret-1\"")
        let (status, _) = try check(schema: "state.schema.json", files: [scratch.write("leak.json", text)])
        #expect(status == 1)
    }
}

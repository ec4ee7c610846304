import Foundation
import EstateGenerator
import VPNForm

/// Loads YAML text that must be valid.
func desired(_ text: String) -> DesiredState {
    let loaded = DesiredStateLoader().load(bytes: Array(text.utf8), file: "test.yaml")
    precondition(loaded.isValid, "\(loaded.diagnostics)")
    return loaded.state!
}

/// A generated estate of `pairs` pairs.
func generated(_ pairs: Int, seed: UInt64 = 7) -> DesiredState {
    desired(EstateGenerator(pairs: pairs, connectionsPerGateway: 7, seed: seed).yaml())
}

/// The state apply would leave after creating every pair of the plan, with made-up ids.
func applyingCreates(_ plan: Plan, to state: StateFile) -> StateFile {
    var s = state
    for (n, e) in plan.entries.enumerated() where e.action == .create {
        let pair = e.desired!
        let records = pair.connections.enumerated().map { i, c in
            ConnectionRecord(id: ConnectionID(EstateGenerator.uuid(0xf, n * 2 + i)), name: c.name, vgwIP: c.vgwIP,
                             createdAt: "2026-01-01T00:00:00.000Z")
        }
        s.recordCreated(e.address, pair, connections: records)
    }
    return s
}

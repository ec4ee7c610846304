import EstateGenerator
import Foundation
import VPNForm

/// Generated desired-state files and matching state files.
enum Estates {
    /// Writes `estate-N.yaml` (and `estate-N.state.json`, as if everything were applied) into `dir`.
    /// - Returns: The YAML path and the number of pairs.
    static func generate(pairs n: Int, in dir: URL, withState: Bool) throws -> (String, Int) {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yamlPath = dir.appendingPathComponent("estate-\(n).yaml").path
        let yaml = EstateGenerator(pairs: n, connectionsPerGateway: 20, seed: 42, twoIPs: true).yaml()
        try yaml.write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let loaded = try DesiredStateLoader().load(path: yamlPath)
        guard loaded.isValid, let desired = loaded.state else { fail("generated file is invalid: \(loaded.diagnostics.prefix(3))") }
        if withState {
            var state = StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21")
            for (i, entry) in Planner.plan(desired: desired, state: state).entries.enumerated() {
                let pair = entry.desired!
                state.recordCreated(entry.address, pair, connections: pair.connections.enumerated().map { j, c in
                    ConnectionRecord(id: ConnectionID(EstateGenerator.uuid(0xf, i * 2 + j)), name: c.name, vgwIP: c.vgwIP, createdAt: "2026-01-01T00:00:00.000Z")
                })
            }
            try StateStore(path: StateStore.defaultPath(forDesired: yamlPath)).save(state)
        }
        return (yamlPath, desired.pairCount)
    }
}

import EstateGenerator
import Foundation
import VPNForm

// vpnform-bench: generates desired-state files and matching state files of N pairs (fixed seed).
//   swift run -c release vpnform-bench generate N DIR [--desired-only]
//     → DIR/estate-N.yaml and (unless --desired-only) DIR/estate-N.state.json, as if all were applied

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vpnform-bench: \(message)\n".utf8))
    exit(64)
}

let args = Array(CommandLine.arguments.dropFirst())
guard (3...4).contains(args.count), args[0] == "generate", let n = Int(args[1]), n > 0, args.count == 3 || args[3] == "--desired-only" else {
    fail("usage: vpnform-bench generate N DIR [--desired-only]")
}
let desiredOnly = args.count == 4
let dir = URL(fileURLWithPath: args[2])
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let yamlPath = dir.appendingPathComponent("estate-\(n).yaml").path
let yaml = EstateGenerator(pairs: n, connectionsPerGateway: 20, seed: 42).yaml()
try yaml.write(toFile: yamlPath, atomically: true, encoding: .utf8)
let loaded = try DesiredStateLoader().load(path: yamlPath)
guard loaded.isValid, let desired = loaded.state else { fail("generated file is invalid: \(loaded.diagnostics.prefix(3))") }
if desiredOnly {
    print("wrote \(yamlPath) (\(yaml.utf8.count) bytes, \(desired.pairCount) pairs)")
    exit(0)
}
var state = StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21")
for (i, entry) in Planner.plan(desired: desired, state: state).entries.enumerated() {
    let pair = entry.desired!
    state.recordCreated(entry.address, pair, connections: pair.connections.enumerated().map { j, c in
        ConnectionRecord(id: ConnectionID(EstateGenerator.uuid(0xf, i * 2 + j)), name: c.name, vgwIP: c.vgwIP, createdAt: "2026-01-01T00:00:00.000Z")
    })
}
try StateStore(path: dir.appendingPathComponent("estate-\(n).state.json").path).save(state)
print("wrote \(yamlPath) (\(yaml.utf8.count) bytes, \(desired.pairCount) pairs) and its state")

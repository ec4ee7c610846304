import Foundation
import TestSupport
import Testing

/// Two branches that each add a different pair to the same state file merge with `git merge`,
/// through vpnform's merge driver, without conflict.
@Suite struct StateMergeDriverTests {
    func git(_ args: [String], in dir: URL) throws -> (Int32, String) {
        let env = ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                   "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": dir.path]
        let r = try ProcessRunner.run(tool: "git", args, environment: env, in: dir)
        return (r.status, r.stdout + r.stderr)
    }

    /// A state holding the example's pairs plus `extra`, written through vpnform (canonical bytes).
    func state(adding extra: [String], in dir: URL, name: String) throws {
        let example = try String(contentsOf: Repository.root.appendingPathComponent("examples/quickstart.state.json"), encoding: .utf8)
        var json = try JSONSerialization.jsonObject(with: Data(example.utf8)) as! [String: Any]
        var pairs = json["pairs"] as! [String: Any]
        for address in extra {
            var copy = pairs["hq/chengdu"] as! [String: Any]
            copy["cgw_id"] = "7d1e4c2a-5b3f-4e8d-9a61-2f0c8b7e5d9\(address.count % 10)"
            var spec = copy["spec"] as! [String: Any]
            spec["cgw_id"] = copy["cgw_id"]
            copy["spec"] = spec
            copy["spec_digest"] = Self.digest(spec)
            pairs[address] = copy
        }
        json["pairs"] = pairs
        let raw = dir.appendingPathComponent("raw.json")
        try JSONSerialization.data(withJSONObject: json).write(to: raw)
        // `state merge` with an empty base and identical sides rewrites it in canonical form.
        let empty = dir.appendingPathComponent("empty")
        try Data().write(to: empty)
        let r = try BinaryRunner.run(["state", "merge", empty.path, raw.path, raw.path])
        #expect(r.status == 0, "\(r.stderr)")
        try FileManager.default.moveItem(at: raw, to: dir.appendingPathComponent(name))
        try? FileManager.default.removeItem(at: empty)
    }

    static func digest(_ spec: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys, .withoutEscapingSlashes])
        let hex = try! ProcessRunner.run(tool: "sha256sum", [], input: data).stdout.prefix(64)
        return "sha256:\(hex)"
    }

    @Test("different pairs added on two branches merge cleanly through the driver")
    func merge() throws {
        let scratch = Scratch()
        let dir = scratch.url
        let driver = "\(BinaryRunner.executable.path) state merge %O %A %B"
        #expect(try git(["init", "-q", "-b", "main"], in: dir).0 == 0)
        _ = try git(["config", "merge.vpnform.driver", driver], in: dir)
        try "*.state.json merge=vpnform\n".write(to: dir.appendingPathComponent(".gitattributes"), atomically: true, encoding: .utf8)
        try state(adding: [], in: dir, name: "vpn.state.json")
        _ = try git(["add", "."], in: dir)
        #expect(try git(["commit", "-qm", "base"], in: dir).0 == 0)

        _ = try git(["checkout", "-qb", "one"], in: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("vpn.state.json"))
        try state(adding: ["hq/dalian"], in: dir, name: "vpn.state.json")
        #expect(try git(["commit", "-qam", "add dalian"], in: dir).0 == 0)

        _ = try git(["checkout", "-q", "main"], in: dir)
        _ = try git(["checkout", "-qb", "two"], in: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("vpn.state.json"))
        try state(adding: ["hq/xiamen"], in: dir, name: "vpn.state.json")
        #expect(try git(["commit", "-qam", "add xiamen"], in: dir).0 == 0)

        let (status, output) = try git(["merge", "-q", "--no-edit", "one"], in: dir)
        #expect(status == 0, "\(output)")
        let list = try BinaryRunner.run(["state", "list", "--state", dir.appendingPathComponent("vpn.state.json").path])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] } == ["hq/chengdu", "hq/dalian", "hq/shanghai", "hq/xiamen"])
    }
}

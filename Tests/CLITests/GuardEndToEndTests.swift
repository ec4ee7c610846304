import Foundation
import TestSupport
import Testing

/// Guards, `--target`, `--create-only`, `state rm`/`mv` and `moved:` end to end against an emulator process.
@Suite(.serialized) struct GuardEndToEndTests {
    typealias World = LifecycleEndToEndTests.World

    /// A gateway with `n` pairs `site0` … (their keys from `PSK_SHANGHAI`).
    static func yaml(_ n: Int, gatewayExtra: String = "", skip: Set<Int> = []) -> String {
        var text = """
            version: 1
            project_id: 0123456789abcdef0123456789abcdef
            region: cn-north-4
            gateways:
              - name: hq
                id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
                ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4, 1fb97767-d780-4d8b-83bb-6f878f662005]\(gatewayExtra)
                connections:

            """
        for i in 0..<n where !skip.contains(i) {
            text += """
                      - {name: site\(i), cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fc\(String(format: "%03d", i)), \
                peer_subnets: [10.\(i).0.0/24], psk: "${PSK_SHANGHAI}"}

                """
        }
        return n == 0 ? text.replacingOccurrences(of: "connections:\n", with: "connections: []\n") : text
    }

    static func count(_ text: String, _ needle: String) -> Int { LifecycleEndToEndTests.count(text, needle) }

    @Test("deleting more than 30 % of 10 or more pairs is refused without --allow-mass-change, and nothing is sent")
    func massChange() throws {
        let w = try World(Self.yaml(10))
        defer { w.stop() }
        w.ws.write("vpn.yaml", Self.yaml(10, skip: [0, 1, 2, 3]))
        let refused = try w.apply()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("deletes or replaces 4 of 10 managed pairs"), "\(refused.stderr)")
        #expect(Self.count(refused.stderr, "→ DELETE ") == 0)
        #expect(try w.connections().count == 20)
        let plan = try w.plan()
        #expect(plan.status == 1 && plan.stderr.contains("--allow-mass-change"))
        // Three of ten is within the threshold.
        w.ws.write("vpn.yaml", Self.yaml(10, skip: [0, 1, 2]))
        #expect(try w.apply().status == 0)
        #expect(try w.connections().count == 14)
        w.ws.write("vpn.yaml", Self.yaml(10, skip: [0, 1, 2, 3, 4, 5, 6]))
        let allowed = try w.apply(["--allow-mass-change"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try w.connections().count == 6)
        #expect(try w.plan().status == 0)
    }

    @Test("an empty desired file never deletes everything without --allow-mass-change")
    func emptyFile() throws {
        let w = try World(Self.yaml(2))
        defer { w.stop() }
        w.ws.write("vpn.yaml", Self.yaml(0))
        let refused = try w.apply()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the desired file has no pairs"))
        #expect(try w.connections().count == 4)
        #expect(try w.apply(["--allow-mass-change"]).status == 0)
        #expect(try w.connections().isEmpty)
    }

    @Test("prevent_destroy on a connection or its gateway refuses a delete or a replace; --create-only leaves them")
    func preventDestroy() throws {
        let w = try World(Self.yaml(3).replacingOccurrences(of: "name: site1,",
                                                            with: "name: site1, prevent_destroy: true,"))
        defer { w.stop() }
        w.ws.write("vpn.yaml", Self.yaml(3, skip: [1]))
        // Removed from the file, prevent_destroy goes with it: the gateway's flag still protects its pairs.
        w.ws.write("vpn.yaml", Self.yaml(3, gatewayExtra: "\n    prevent_destroy: true", skip: [1]))
        let refused = try w.apply()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("hq/site1 has prevent_destroy: true"), "\(refused.stderr)")
        w.ws.write("vpn.yaml", Self.yaml(3).replacingOccurrences(
            of: "name: site2,", with: "name: site2, prevent_destroy: true, style: bgp,"))
        let replace = try w.apply()
        #expect(replace.status == 1 && replace.stderr.contains("hq/site2 has prevent_destroy: true"),
                "\(replace.stderr)")
        #expect(try w.connections().count == 6)
        let createOnly = try w.apply(["--create-only"])
        #expect(createOnly.status == 0, "\(createOnly.stderr)")
        #expect(Self.count(createOnly.stderr, "→ DELETE ") == 0)
    }

    @Test("--target touches only its pairs; a gateway name means all of them; an unknown target is an error")
    func target() throws {
        let w = try World(Self.yaml(3))
        defer { w.stop() }
        w.ws.write("vpn.yaml", Self.yaml(3).replacingOccurrences(of: "10.0.0.0/24", with: "10.100.0.0/24")
            .replacingOccurrences(of: "10.1.0.0/24", with: "10.101.0.0/24"))
        let one = try w.apply(["--target", "hq/site1"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(Self.count(one.stderr, "→ PUT ") == 2)
        #expect(try w.plan().stdout.contains("1 to update in place"))
        #expect(try w.apply(["--target", "hq/nope"]).status == 1)
        let all = try w.apply(["--target", "hq"])
        #expect(all.status == 0)
        #expect(Self.count(all.stderr, "→ PUT ") == 2)
        #expect(try w.plan().status == 0)
    }

    @Test("state rm forgets a pair and deletes nothing; state mv and moved: rename without replacing")
    func stateSurgery() throws {
        let w = try World(Self.yaml(3))
        defer { w.stop() }
        let run = { (args: [String]) throws -> ProcessResult in
            try BinaryRunner.run(args, environment: w.env, in: w.ws.url)
        }
        let ids = try w.connections().mapValues { $0["id"] as! String }
        let rm = try run(["state", "rm", "hq/site0", "-f", "vpn.yaml"])
        #expect(rm.status == 0, "\(rm.stderr)")
        #expect(!w.ws.read("vpn.state.json").contains("hq/site0"))
        #expect(try w.connections().count == 6, "nothing deleted")
        // Out of the file too: the next apply leaves it alone (it is unmanaged, not a delete).
        w.ws.write("vpn.yaml", Self.yaml(3, skip: [0]))
        let after = try w.apply()
        #expect(after.status == 0)
        #expect(Self.count(after.stderr, "→ DELETE ") == 0)
        // state mv: a new handle; the API names follow with an update in place, never a replace.
        let mv = try run(["state", "mv", "hq/site1", "hq/branch1", "-f", "vpn.yaml"])
        #expect(mv.status == 0, "\(mv.stderr)")
        w.ws.write("vpn.yaml", Self.yaml(3, skip: [0]).replacingOccurrences(of: "name: site1,", with: "name: branch1,"))
        let renamed = try w.apply()
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(Self.count(renamed.stderr, "→ DELETE ") == 0 && Self.count(renamed.stderr, "→ POST ") == 0)
        #expect(try w.connections()["hq-branch1-1"]?["id"] as? String == ids["hq-site1-1"])
        // moved: in the file does the same with no command.
        w.ws.write("vpn.yaml", Self.yaml(3, skip: [0]).replacingOccurrences(of: "name: site1,", with: "name: branch1,")
            .replacingOccurrences(of: "name: site2,", with: "name: branch2,")
            + "moved:\n  - {from: hq/site2, to: hq/branch2}\n")
        let planned = try w.plan()
        #expect(!planned.stdout.contains("-/+") && !planned.stdout.contains("  + pair"), "\(planned.stdout)")
        #expect(planned.stdout.contains("hq/site2 has moved to hq/branch2"))
        let moved = try w.apply()
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(Self.count(moved.stderr, "→ DELETE ") == 0 && Self.count(moved.stderr, "→ POST ") == 0)
        #expect(try w.connections()["hq-branch2-2"]?["id"] as? String == ids["hq-site2-2"])
        #expect(try w.plan().status == 0)
    }
}

import Foundation
import TestSupport
import Testing

/// Update in place, replace and delete end to end: the real binary against an emulator process over loopback.
@Suite(.serialized) struct LifecycleEndToEndTests {
    static let yaml = """
        version: 1
        project_id: 0123456789abcdef0123456789abcdef
        region: cn-north-4
        gateways:
          - name: hq
            id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4, 1fb97767-d780-4d8b-83bb-6f878f662005]
            connections:
              - name: shanghai
                cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5
                style: static
                peer_subnets: [192.168.2.0/24]
                psk: ${PSK_SHANGHAI}
                ikepolicy: {dh_group: group16, lifetime_seconds: 86400}
                ipsecpolicy: {pfs: group16}
                tags: {team: netops}
              - name: beijing
                cgw_id: 4c396f43-bfd6-426c-86ef-fa96e04c4670
                peer_subnets: [192.168.3.0/24]
                psk: ${PSK_BEIJING}

        """

    static let env = ["PSK_SHANGHAI": "Canary-Psk-Shanghai-1", "PSK_BEIJING": "Canary-Psk-Beijing-1",
                      "PSK_SHANGHAI_2027": "Canary-Psk-Shanghai-2", "NO_COLOR": "1"]

    /// A workspace with the pairs applied against a fresh emulator.
    struct World {
        let ws = Scratch()
        let emulator: EmulatorProcess
        let env: [String: String]

        init(_ yaml: String = LifecycleEndToEndTests.yaml) throws {
            ws.write("vpn.yaml", yaml)
            emulator = try EmulatorProcess(dataFile: ws.url("emulator.json"), gatewaysFrom: ws.url("vpn.yaml"))
            env = emulator.clientEnvironment.merging(LifecycleEndToEndTests.env) { $1 }
            let first = try apply()
            #expect(first.status == 0, "\(first.stderr)")
        }

        func apply(_ extra: [String] = []) throws -> ProcessResult {
            try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--debug"]
                                 + extra, environment: env, in: ws.url)
        }

        func plan(_ extra: [String] = []) throws -> ProcessResult {
            try BinaryRunner.run(["plan", "-f", "vpn.yaml", "--refresh", "--endpoint", emulator.endpoint,
                                  "--detailed-exitcode"] + extra, environment: env, in: ws.url)
        }

        func edit(_ from: String, _ to: String) {
            let text = ws.read("vpn.yaml")
            precondition(text.contains(from), "no \(from) in the file")
            ws.write("vpn.yaml", text.replacingOccurrences(of: from, with: to))
        }

        /// The emulator's connections, as stored (JSON objects), by name.
        func connections() throws -> [String: [String: Any]] {
            let data = try Data(contentsOf: ws.url("emulator.json"))
            let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            var byName: [String: [String: Any]] = [:]
            for stored in object["connections"] as! [[String: Any]] {
                let c = stored["connection"] as! [String: Any]
                byName[c["name"] as! String] = c
            }
            return byName
        }

        func stop() { emulator.stop() }
    }

    static func count(_ text: String, _ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("each updatable attribute changed: one PUT per connection, the emulator holds it, the next plan is a no-op",
          arguments: [
              ("peer_subnets: [192.168.2.0/24]", "peer_subnets: [192.168.9.0/24]", "peer_subnets",
               "[\"192.168.9.0/24\"]"),
              ("cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5", "cgw_id: 22f3577a-cbd8-4602-b68c-ecbf792fcec5", "cgw_id",
               "\"22f3577a-cbd8-4602-b68c-ecbf792fcec5\""),
              ("lifetime_seconds: 86400", "lifetime_seconds: 172800", "ikepolicy", "172800"),
              ("{pfs: group16}", "{pfs: group19}", "ipsecpolicy", "group19"),
              ("psk: ${PSK_SHANGHAI}", "psk: ${PSK_SHANGHAI_2027}", "", ""),
          ])
    func update(from: String, to: String, field: String, value: String) throws {
        let w = try World()
        defer { w.stop() }
        let before = try w.connections()
        w.edit(from, to)
        let planned = try w.plan()
        #expect(planned.status == 2)
        #expect(planned.stdout.contains("~ pair \"hq/shanghai\""), "\(planned.stdout)")
        #expect(planned.stdout.contains("1 to update in place, 0 to replace"))
        let applied = try w.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(Self.count(applied.stderr, "→ PUT ") == 2)
        #expect(Self.count(applied.stderr, "→ POST ") == 0)
        #expect(Self.count(applied.stderr, "→ DELETE ") == 0)
        #expect(applied.stderr.contains("hq/shanghai updated in place"))
        let after = try w.connections()
        #expect(Set(after.keys) == Set(before.keys))
        for name in ["hq-shanghai-1", "hq-shanghai-2"] {
            #expect(after[name]?["id"] as? String == before[name]?["id"] as? String, "updated, not replaced")
            if !field.isEmpty {
                let data = try JSONSerialization.data(withJSONObject: after[name]![field]!,
                                                      options: [.withoutEscapingSlashes, .fragmentsAllowed])
                let json = String(decoding: data, as: UTF8.self)
                #expect(json.contains(value), "\(name).\(field) = \(json)")
            }
        }
        if field.isEmpty { #expect(!applied.stderr.contains("Canary-Psk"), "the new key is sent, never shown") }
        let again = try w.plan()
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test("--replace-psk sends the key again (a new value behind the same name, which no plan can see)")
    func replacePSK() throws {
        let w = try World()
        defer { w.stop() }
        #expect(try w.plan().status == 0)
        let planned = try w.plan(["--replace-psk", "hq/shanghai"])
        #expect(planned.status == 2 && planned.stdout.contains("~ pair \"hq/shanghai\""), "\(planned.stdout)")
        let applied = try w.apply(["--replace-psk", "hq/shanghai"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(Self.count(applied.stderr, "→ PUT ") == 2)
        #expect(Self.count(applied.stderr, "\"psk\":\"(redacted)\"") == 2, "the key is sent, and never shown")
        #expect(!applied.stderr.contains("Canary-Psk"))
        #expect(try w.plan().status == 0)
        let saved = try BinaryRunner.run(["plan", "-f", "vpn.yaml", "--target", "hq", "--out", "p.json"],
                                         environment: w.env, in: w.ws.url)
        #expect(saved.status == 64)
    }

    @Test("tags change through the tag API, without a PUT")
    func tags() throws {
        let w = try World()
        defer { w.stop() }
        w.edit("tags: {team: netops}", "tags: {team: sre, site: sh}")
        let applied = try w.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(Self.count(applied.stderr, "/tags/create") == 2)
        #expect(Self.count(applied.stderr, "/tags/delete") == 0)
        let tags = try w.connections()["hq-shanghai-1"]?["tags"] as? [[String: String]]
        #expect(tags == [["key": "site", "value": "sh"], ["key": "team", "value": "sre"]])
        #expect(try w.plan().status == 0)
        w.edit("tags: {team: sre, site: sh}", "tags: {site: sh}")
        #expect(try w.apply().status == 0)
        let left = try w.connections()["hq-shanghai-2"]?["tags"] as? [[String: String]]
        #expect(left == [["key": "site", "value": "sh"]])
        #expect(try w.plan().status == 0)
    }

    @Test("each non-updatable attribute changed: replaced, naming it; delete then create; then plan is a no-op",
          arguments: [
              ("style: static", "style: bgp", "style"),
              ("{dh_group: group16,", "{authentication_method: pre-share, dh_group: group16,",
               "ikepolicy.authentication_method"),
          ])
    func replace(from: String, to: String, forcing: String) throws {
        let w = try World()
        defer { w.stop() }
        let before = try w.connections()
        w.edit(from, to)
        let planned = try w.plan()
        #expect(planned.status == 2)
        #expect(planned.stdout.contains("-/+ pair \"hq/shanghai\""), "\(planned.stdout)")
        #expect(planned.stdout.contains("\(forcing) cannot change in place"))
        #expect(planned.stdout.contains("the tunnel goes down"))
        let applied = try w.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(Self.count(applied.stderr, "→ DELETE ") == 2)
        #expect(Self.count(applied.stderr, "→ POST ") == 1)
        let after = try w.connections()
        #expect(Set(after.keys) == Set(before.keys))
        #expect(after["hq-shanghai-1"]?["id"] as? String != before["hq-shanghai-1"]?["id"] as? String)
        #expect(after["hq-beijing-1"]?["id"] as? String == before["hq-beijing-1"]?["id"] as? String)
        #expect(try w.plan().status == 0)
    }

    @Test("a pair removed from the file is deleted, its state entry goes, the other pair is untouched")
    func delete() throws {
        let w = try World()
        defer { w.stop() }
        let text = w.ws.read("vpn.yaml")
        w.ws.write("vpn.yaml", String(text[..<text.range(of: "      - name: beijing")!.lowerBound]))
        let planned = try w.plan()
        #expect(planned.stdout.contains("- pair \"hq/beijing\""))
        let applied = try w.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(Self.count(applied.stderr, "→ DELETE ") == 2)
        #expect(Set(try w.connections().keys) == ["hq-shanghai-1", "hq-shanghai-2"])
        #expect(!w.ws.read("vpn.state.json").contains("hq/beijing"))
        #expect(try w.plan().status == 0)
    }
}

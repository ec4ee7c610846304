import EstateGenerator
import Foundation
import Testing
import TestSupport

/// The live API as a first-class input (issue #11): the real binary against a real emulator
/// process over loopback HTTP. Each test ends by counting the emulator's connections.
@Suite(.serialized) struct LiveViewEndToEndTests {
    /// A workspace with a generated estate and an emulator that has its gateways.
    final class Estate {
        let ws: Scratch
        var emulator: EmulatorProcess
        let env: [String: String]

        init(pairs: Int = 12, seed: UInt64 = 3, emulatorArguments: [String] = []) throws {
            ws = Scratch()
            ws.write("vpn.yaml", EstateGenerator(pairs: pairs, connectionsPerGateway: 6, seed: seed, twoIPs: true).yaml())
            emulator = try EmulatorProcess(arguments: emulatorArguments, dataFile: ws.url("emulator.json"), gatewaysFrom: ws.url("vpn.yaml"))
            env = emulator.clientEnvironment.merging(ApplyEndToEndTests.psks) { $1 }
        }

        deinit { emulator.stop() }

        func vpnform(_ arguments: [String]) throws -> ProcessResult {
            try BinaryRunner.run(arguments + ["--endpoint", emulator.endpoint], environment: env, in: ws.url)
        }

        func apply(_ extra: [String] = []) throws -> ProcessResult {
            try vpnform(["apply", "-f", "vpn.yaml", "--auto-approve", "--parallelism", "4"] + extra)
        }

        /// Stops the emulator, edits its data file, starts it again (on a new port).
        func editEmulator(_ change: (inout [[String: Any]]) -> Void) throws {
            emulator.stop()
            let url = ws.url("emulator.json")
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            var connections = object["connections"] as! [[String: Any]]
            change(&connections)
            object["connections"] = connections
            try JSONSerialization.data(withJSONObject: object).write(to: url)
            emulator = try EmulatorProcess(dataFile: url)
        }

        /// (id, name, vgw_ip) of every pair in the state.
        func recorded(_ name: String = "vpn.state.json") throws -> [(id: String, name: String, vgwIP: String)] {
            try ApplyEndToEndTests.stateConnections(ws.read(name))
        }
    }

    /// Every (ip, name) is held once.
    static func expectNoDuplicates(_ issued: [(id: String, name: String, vgwIP: String)], count: Int,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(issued.count == count, sourceLocation: sourceLocation)
        #expect(Set(issued.map { "\($0.vgwIP)/\($0.name)" }).count == issued.count, "no duplicates", sourceLocation: sourceLocation)
    }

    @Test("state deleted: apply creates nothing, and the state comes back with the same ids")
    func stateDeleted() throws {
        let e = try Estate()
        #expect(try e.apply().status == 0)
        let before = Set(try e.recorded().map(\.id))
        try FileManager.default.removeItem(at: e.ws.url("vpn.state.json"))
        let again = try e.apply()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("exists but is not in the state: apply adopts it"))
        #expect(again.stderr.contains("adopted 2 existing connections, created none"))
        Self.expectNoDuplicates(try e.emulator.connections(), count: 24)
        #expect(Set(try e.recorded().map(\.id)) == before)
        #expect(try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh", "--detailed-exitcode"]).status == 0)
    }

    @Test("a state from another branch that misses one pair: that pair is adopted, not created again")
    func branchMissingAPair() throws {
        let e = try Estate()
        #expect(try e.apply().status == 0)
        var object = try JSONSerialization.jsonObject(with: Data(e.ws.read("vpn.state.json").utf8)) as! [String: Any]
        var pairs = object["pairs"] as! [String: Any]
        let dropped = pairs.keys.sorted()[3]
        pairs[dropped] = nil
        object["pairs"] = pairs
        try JSONSerialization.data(withJSONObject: object).write(to: e.ws.url("vpn.state.json"))
        let plan = try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh"])
        #expect(plan.stdout.contains("\(dropped) exists but is not in the state: apply adopts it instead of creating it"))
        let again = try e.apply()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("\(dropped) adopted 2 existing connections, created none"))
        Self.expectNoDuplicates(try e.emulator.connections(), count: 24)
        #expect(Set(try e.recorded().map(\.id)) == Set(try e.emulator.connections().map(\.id)))
    }

    @Test("a connection deleted outside vpnform: plan --refresh exits 2 naming it, apply recreates only it")
    func connectionDeleted() throws {
        let e = try Estate()
        #expect(try e.apply().status == 0)
        let victim = try e.emulator.connections().sorted { $0.name < $1.name }[5]
        try e.editEmulator { $0.removeAll { ($0["connection"] as! [String: Any])["id"] as! String == victim.id } }
        let offline = try e.vpnform(["plan", "-f", "vpn.yaml", "--detailed-exitcode"])
        #expect(offline.status == 0, "offline, the state alone shows nothing")
        let plan = try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.stderr)")
        #expect(plan.stdout.contains("deleted outside vpnform; apply creates it again"))
        #expect(plan.stdout.contains("connection \"\(victim.name)\" on \(victim.vgwIP) (\(victim.id))"))
        let json = try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let drift = document["drift"] as! [[String: Any]]
        #expect(drift.count == 1)
        #expect(drift.first?["kind"] as? String == "deleted")
        let before = Set(try e.emulator.connections().map(\.id))
        let applied = try e.apply()
        #expect(applied.status == 0, "\(applied.stderr)")
        let after = try e.emulator.connections()
        Self.expectNoDuplicates(after, count: 24)
        let new = after.filter { !before.contains($0.id) }
        #expect(new.map(\.name) == [victim.name], "only the deleted connection is created again")
        #expect(try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh", "--detailed-exitcode"]).status == 0)
    }

    @Test("an attribute edited outside vpnform is drift: shown with the attribute, state -> live")
    func attributeEdited() throws {
        let e = try Estate()
        #expect(try e.apply().status == 0)
        let victim = try e.emulator.connections().sorted { $0.name < $1.name }[0]
        try e.editEmulator { list in
            for i in list.indices where (list[i]["connection"] as! [String: Any])["id"] as! String == victim.id {
                var c = list[i]["connection"] as! [String: Any]
                c["cgw_id"] = "99999999-0000-4000-8000-000000000001"
                list[i]["connection"] = c
            }
        }
        let plan = try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.stderr)")
        #expect(plan.stdout.contains("has changed outside vpnform (state -> live)"))
        #expect(plan.stdout.contains("~ cgw_id"))
        #expect(plan.stdout.contains("-> \"99999999-0000-4000-8000-000000000001\""))
        let markdown = try e.vpnform(["plan", "-f", "vpn.yaml", "--refresh", "--markdown"])
        #expect(markdown.stdout.contains("<details><summary>Changed outside vpnform: 1 item</summary>"))
        let address = try JSONSerialization.jsonObject(with: Data(e.ws.read("vpn.state.json").utf8)) as! [String: Any]
        let pair = (address["pairs"] as! [String: [String: Any]]).first { p in
            (p.value["connections"] as! [[String: Any]]).contains { $0["id"] as? String == victim.id }
        }!.key
        let shown = try e.vpnform(["state", "show", pair, "--refresh", "--state", "vpn.state.json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("live.connections[0]"))
        #expect(shown.stdout.contains("DOWN"))
        #expect(shown.stdout.contains("live.drift.cgw_id"))
    }

    @Test("apply killed with SIGKILL and its journal deleted: the next apply ends with one connection per (pair, IP)")
    func killedAndJournalLost() throws {
        let e = try Estate(pairs: 30, emulatorArguments: ["--latency", "60"])
        let apply = Process()
        apply.executableURL = BinaryRunner.executable
        apply.arguments = ["apply", "-f", "vpn.yaml", "--endpoint", e.emulator.endpoint, "--auto-approve", "--parallelism", "2", "--quiet"]
        apply.currentDirectoryURL = e.ws.url
        apply.environment = ProcessInfo.processInfo.environment.merging(e.env) { $1 }
        apply.standardError = FileHandle.nullDevice
        apply.standardOutput = FileHandle.nullDevice
        try apply.run()
        for _ in 0..<200 where (try? e.emulator.connections().count) ?? 0 < 10 { usleep(20_000) }
        kill(apply.processIdentifier, SIGKILL)
        apply.waitUntilExit()
        let made = try e.emulator.connections().count
        #expect(made > 0 && made < 60, "killed mid-apply (\(made) connections)")
        try? FileManager.default.removeItem(at: e.ws.url("vpn.state.json.journal"))
        try? FileManager.default.removeItem(at: e.ws.url("vpn.state.json"))
        try? FileManager.default.removeItem(at: e.ws.url("vpn.state.json.lock"))
        let again = try e.apply()
        #expect(again.status == 0, "\(again.stderr)")
        Self.expectNoDuplicates(try e.emulator.connections(), count: 60)
        #expect(Set(try e.recorded().map(\.id)) == Set(try e.emulator.connections().map(\.id)))
    }

    @Test("import of three pairs made outside vpnform: the next plan shows no change")
    func importConsoleMade() throws {
        let e = try Estate(pairs: 3)
        // "The console": another state, forgotten.
        #expect(try e.apply(["--state", "console.state.json"]).status == 0)
        let gateway = EstateGenerator.uuid(0xA, 0)
        let imported = try e.vpnform(["import", "--gateway", gateway, "--out", "imported.yaml",
                                      "--project-id", "0123456789abcdef0123456789abcdef", "--region", "cn-north-4"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("Imported 3 pairs"))
        let text = e.ws.read("imported.yaml")
        #expect(text.contains("psk: ${PSK_"))
        #expect(text.contains("region: cn-north-4"))
        #expect(!text.contains("endpoint:"), "--endpoint is how to reach the region, not part of the file")
        let plan = try e.vpnform(["plan", "-f", "imported.yaml", "--state", "imported.state.json", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let refreshed = try e.vpnform(["plan", "-f", "imported.yaml", "--state", "imported.state.json", "--refresh", "--detailed-exitcode"])
        #expect(refreshed.status == 0, "\(refreshed.stdout)\(refreshed.stderr)")
        // Importing again changes nothing; a connection recorded under another address is refused.
        let twice = try e.vpnform(["import", "--gateway", gateway, "--state", "imported.state.json", "-f", "imported.yaml"])
        #expect(twice.status == 0)
        #expect(twice.stderr.contains("Nothing to import"))
        let elsewhere = try e.vpnform(["import", "--gateway", gateway, "--state", "console.state.json", "-f", "imported.yaml"])
        #expect(elsewhere.status == 1)
        #expect(elsewhere.stderr.contains("is already recorded in the state as"))
        Self.expectNoDuplicates(try e.emulator.connections(), count: 6)
    }

    @Test("a state of another project is refused, naming both")
    func otherProject() throws {
        let e = try Estate(pairs: 2)
        #expect(try e.apply().status == 0)
        let text = e.ws.read("vpn.yaml").replacingOccurrences(of: "project_id: 0123456789abcdef0123456789abcdef",
                                                              with: "project_id: fedcba9876543210fedcba9876543210")
        e.ws.write("other.yaml", text)
        let plan = try e.vpnform(["plan", "-f", "other.yaml", "--state", "vpn.state.json"])
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("records pairs of project 0123456789abcdef0123456789abcdef"))
        #expect(plan.stderr.contains("targets project fedcba9876543210fedcba9876543210"))
        let apply = try e.vpnform(["apply", "-f", "other.yaml", "--state", "vpn.state.json", "--auto-approve"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("records pairs of project 0123456789abcdef0123456789abcdef"))
    }

    @Test("apply --wait polls new connections until they settle; ERROR fails the pair but keeps its ids")
    func waitForStatus() throws {
        let e = try Estate(pairs: 4, emulatorArguments: ["--settle", "300", "--fault", "batch-create:error-status:0.5", "--seed", "7"])
        var env = e.env
        env["VPNFORM_WAIT_INTERVAL"] = "0.1"
        let r = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--auto-approve", "--wait=30s", "--endpoint", e.emulator.endpoint],
                                     environment: env, in: e.ws.url)
        #expect(r.stderr.contains("is DOWN"))
        #expect(r.stderr.contains("is ERROR"))
        #expect(r.stderr.contains("failed: created (its ids are in the state) but ended in ERROR"))
        #expect(r.status == 3, "\(r.stderr)")
        #expect(Set(try e.recorded().map(\.id)) == Set(try e.emulator.connections().map(\.id)), "ERROR pairs keep their ids")
    }
}

/// Gateway checks: each a located error on its line of the desired file, and nothing sent.
@Suite struct GatewayCheckEndToEndTests {
    static func uuid(_ n: Int) -> String { EstateGenerator.uuid(0xB, n) }

    /// `line:column` of the first character of `needle` in `text` (1-based, columns in characters).
    static func locate(_ needle: String, in text: String) -> String {
        let before = text[..<text.range(of: needle)!.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return "\(line):\(column)"
    }

    static func gateway(_ n: Int, status: String = "ACTIVE", haMode: String = "active-active", attachment: String = "vpc",
                        quota: Int = 100) -> [String: Any] {
        ["created_ms": 1_700_000_000_000 + n, "made_on_the_fly": false,
         "gateway": ["id": uuid(n), "name": "gw\(n)", "status": status, "ha_mode": haMode, "attachment_type": attachment,
                     "network_type": "public", "connection_number": quota,
                     "eip1": ["id": uuid(100 + n), "ip_address": "203.0.113.\(n + 1)"]] as [String: Any]]
    }

    @Test("missing, not ACTIVE, foreign ip, no quota, ha_role on active-active, peer_subnets on an ER gateway")
    func locatedAndNothingSent() throws {
        func block(_ n: Int, ip: String? = nil, connections: Int = 1, extra: String = "") -> String {
            var y = "  - name: g\(n)\n    id: \(Self.uuid(n))\n    ips: [\(ip ?? Self.uuid(100 + n))]\n    connections:\n"
            for c in 0..<connections {
                y += "      - {name: c\(c), cgw_id: \(Self.uuid(200 + c)), style: bgp, psk: \"${PSK_SITE0}\"\(extra)}\n"
            }
            return y
        }
        let text = "version: 1\nproject_id: 0123456789abcdef0123456789abcdef\nregion: cn-north-4\ngateways:\n"
            + block(0) + block(1) + block(2, ip: Self.uuid(999)) + block(3, connections: 2)
            + block(4, extra: ", ha_role: master") + block(5, extra: ", peer_subnets: [10.5.0.0/16]")
        let ws = Scratch()
        ws.write("vpn.yaml", text)
        let data: [String: Any] = ["connections": [], "tunnel_counter": 0, "gateways": [
            Self.gateway(1, status: "FREEZED"), Self.gateway(2), Self.gateway(3, quota: 1), Self.gateway(4), Self.gateway(5, attachment: "er"),
        ]]
        try JSONSerialization.data(withJSONObject: data).write(to: ws.url("emulator.json"))
        let emulator = try EmulatorProcess(arguments: ["--strict-gateways"], dataFile: ws.url("emulator.json"))
        defer { emulator.stop() }
        let env = emulator.clientEnvironment.merging(ApplyEndToEndTests.psks) { $1 }
        let before = try Data(contentsOf: ws.url("emulator.json"))
        let expected = [
            "vpn.yaml:\(Self.locate(Self.uuid(0), in: text)): error: gateways[0].id: gateway \(Self.uuid(0)) does not exist",
            "vpn.yaml:\(Self.locate(Self.uuid(1), in: text)): error: gateways[1].id: gateway \(Self.uuid(1)) is FREEZED, not ACTIVE",
            "vpn.yaml:\(Self.locate(Self.uuid(999), in: text)): error: gateways[2].ips[0]: \"\(Self.uuid(999))\" is not an EIP id or private IP",
            "vpn.yaml:\(Self.locate(Self.uuid(3), in: text)): error: gateways[3].id: gateway \(Self.uuid(3)) can take 1 more connection",
            "vpn.yaml:\(Self.locate("master", in: text)): error: gateways[4].connections[0].ha_role: ha_role is only for a gateway "
                + "in active-standby mode",
            "vpn.yaml:\(Self.locate("[10.5.0.0/16]", in: text)): error: gateways[5].connections[0].peer_subnets: gateway \(Self.uuid(5)) "
                + "is attached to an enterprise router",
        ]
        for command in [["plan", "-f", "vpn.yaml", "--refresh"], ["apply", "-f", "vpn.yaml", "--auto-approve"]] {
            let r = try BinaryRunner.run(command + ["--endpoint", emulator.endpoint], environment: env, in: ws.url)
            #expect(r.status == 1)
            for line in expected { #expect(r.stderr.contains(line), "\(command[0]): \(line)\n\(r.stderr)") }
            #expect(r.stderr.contains("6 gateway checks failed; nothing was sent that changes anything"))
        }
        #expect(try Data(contentsOf: ws.url("emulator.json")) == before, "nothing was created")
        #expect(!FileManager.default.fileExists(atPath: ws.url("vpn.state.json").path))
        // Bad credentials are caught by the same reads, before any create.
        var wrong = env
        wrong["HUAWEICLOUD_SDK_SK"] = "not-the-emulator-secret-key-000000"
        let denied = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--auto-approve", "--endpoint", emulator.endpoint],
                                          environment: wrong, in: ws.url)
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("could not read the live API: the API refused the credentials: HTTP 401 APIGW.0301"))
        #expect(denied.stderr.contains("check the credentials"))
    }
}

import Foundation
import TestSupport
import Testing
import VPNAPI
import VPNCrypto
@testable import VPNEmulator

/// The emulator's answers, called directly (the socket layer is tested separately).
@Suite struct EmulatorHandlerTests {
    static let ak = "EMUTESTAK", sk = Secret("emulator-test-secret")
    static let project = "0123456789abcdef0123456789abcdef"
    static let gateway = "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8"

    func emulator(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) throws -> VPNEmulator {
        var config = EmulatorConfiguration(accessKey: Self.ak, secretKey: Self.sk)
        configure(&config)
        return try VPNEmulator(configuration: config)
    }

    /// A request signed as the client signs it.
    static func request(_ method: String, _ path: String, query: [QueryItem] = [], body: String = "",
                        sk: Secret = sk, date: Date = Date()) -> EmulatorRequest {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Host", "127.0.0.1:9999"),
            ("X-Project-Id", project), ("X-Sdk-Date", formatter.string(from: date)),
        ]
        let bytes = Array(body.utf8)
        let s = Signer(accessKey: ak, secretKey: sk).sign(SigningInput(method: method, path: path, query: query, headers: headers, body: bytes))
        headers.append(("Authorization", s.authorization))
        let q = Signer.canonicalQuery(query)
        return EmulatorRequest(method: method, target: q.isEmpty ? path : "\(path)?\(q)", headers: headers, body: bytes)
    }

    static func item(name: String = "hq-a-1", ip: String = "0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4", extra: String = "") -> String {
        """
        {"name": "\(name)", "vgw_id": "\(gateway)", "vgw_ip": "\(ip)", "cgw_id": "12f3577a-cbd8-4602-b68c-ecbf792fcec5",
         "peer_subnets": ["192.168.2.0/24"], "psk": "Abcdefgh123"\(extra)}
        """
    }

    static func create(_ items: String...) -> EmulatorRequest {
        request("POST", "/v5/\(project)/vpn-connections/batch-create", body: "{\"vpn_connections\": [\(items.joined(separator: ","))]}")
    }

    func json(_ reply: EmulatorReply) throws -> [String: Any] {
        guard case .respond(_, _, let body) = reply else { throw CancellationError() }
        return try JSONSerialization.jsonObject(with: Data(body)) as! [String: Any]
    }

    @Test("batch-create answers 201 with the documented shape and server defaults, never the psk")
    func create() throws {
        let e = try emulator()
        let reply = e.handle(Self.create(Self.item(), Self.item(name: "hq-a-2", ip: "1fb97767-d780-4d8b-83bb-6f878f662005", extra: ", \"style\": \"bgp\"")))
        #expect(reply.status == 201)
        let body = try json(reply)
        #expect(body["request_id"] is String)
        let items = body["vpn_connections"] as! [[String: Any]]
        #expect(items.count == 2)
        #expect(items[0]["style"] as? String == "STATIC")
        #expect(items[1]["style"] as? String == "BGP")
        #expect((items[0]["tunnel_local_address"] as? String)?.hasSuffix("/30") == true)
        let ike = items[0]["ikepolicy"] as! [String: Any]
        #expect(ike["dh_group"] as? String == "group15" && ike["lifetime_seconds"] as? Int == 86400)
        #expect((ike["dpd"] as! [String: Any])["msg"] as? String == "seq-hash-notify")
        #expect((items[0]["ipsecpolicy"] as! [String: Any])["pfs"] as? String == "group15")
        #expect(items[0]["ha_role"] as? String == "master")
        #expect(items[0]["enterprise_project_id"] as? String == "0")
        #expect((items[0]["created_at"] as? String)?.hasSuffix("Z") == true)
        #expect(items[0]["psk"] == nil)
        guard case .respond(_, _, let raw) = reply else { return }
        #expect(!String(decoding: raw, as: UTF8.self).contains("Abcdefgh123"))
        #expect(e.connections().count == 2)
    }

    @Test("latency is the time from a request to its answer: the connections exist at once, the answer comes no sooner")
    func latencyIsTimeToAnswer() throws {
        let e = try emulator { $0.latency = .milliseconds(300) }
        let clock = ContinuousClock()
        let sent = clock.now
        let answered = DispatchGroup()
        DispatchQueue.global().async(group: answered) { _ = e.handle(Self.create(Self.item())) }
        // The work is done on arrival; the answer waits for the rest of the latency.
        var seen = 0
        for _ in 0..<200 where seen == 0 {
            Thread.sleep(forTimeInterval: 0.005)
            seen = e.connections().count
        }
        #expect(seen == 1 && answered.wait(timeout: .now()) == .timedOut, "created before the answer")
        answered.wait()
        #expect(clock.now - sent >= .milliseconds(300))
    }

    @Test("body rules give 400 VPN.0001 naming the field", arguments: [
        ("[]", "vpn_connections must hold 1 or 2"),
        ("[\(item()), \(item()), \(item())]", "vpn_connections must hold 1 or 2"),
        ("[\(item(extra: ", \"style\": \"bgp\", \"enable_nqa\": false"))]", "enable_nqa must not be filled if style is not static"),
        ("[\(item(extra: ", \"style\": \"policy\""))]", "policy_rules: is required"),
        ("[\(item().replacingOccurrences(of: "Abcdefgh123", with: "short"))]", "psk: pre-shared key must be 8-128"),
        ("[\(item(extra: ", \"tunnel_local_address\": \"169.254.1.1/30\", \"tunnel_peer_address\": \"169.254.1.6/30\""))]", "tunnel_peer_address"),
        ("[\(item(extra: ", \"ikepolicy\": {\"dh_group\": \"group17\"}"))]", "ikepolicy.dh_group"),
        ("[\(item(extra: ", \"ikepolicy\": {\"lifetime_seconds\": \"x\"}"))]", "ikepolicy.lifetime_seconds"),
        ("[\(item().replacingOccurrences(of: "12f3577a-cbd8-4602-b68c-ecbf792fcec5", with: "nope"))]", "cgw_id"),
    ])
    func rules(items: String, message: String) throws {
        let e = try emulator()
        let reply = e.handle(Self.request("POST", "/v5/\(Self.project)/vpn-connections/batch-create", body: "{\"vpn_connections\": \(items)}"))
        #expect(reply.status == 400)
        let body = try json(reply)
        #expect(body["error_code"] as? String == "VPN.0001")
        #expect((body["error_msg"] as? String)?.contains(message) == true, "\(body)")
        #expect(!"\(body)".contains("Abcdefgh123") && !"\(body)".contains("short\""))
        #expect(e.connections().isEmpty)
    }

    @Test("two items of different gateways, and unknown attributes, are refused")
    func batchShape() throws {
        let e = try emulator()
        let other = Self.item(ip: "1fb97767-d780-4d8b-83bb-6f878f662005").replacingOccurrences(of: Self.gateway, with: "9030f6d6-32a8-4d20-a7f8-50a7a826e2f8")
        #expect(try json(e.handle(Self.create(Self.item(), other)))["error_msg"] as? String == "invalid request: vpn_connections: both connections must have the same vgw_id")
        #expect(e.handle(Self.create(Self.item(extra: ", \"enable_health_check\": false"))).status == 201, "an SDK field is accepted")
        let unknown = e.handle(Self.create(Self.item(extra: ", \"enable_magic\": true")))
        #expect(unknown.status == 400)
        #expect(try json(unknown)["error_code"] as? String == "VPN.0013")
    }

    @Test("a wrong signature, a wrong key or a skewed clock is 401 APIGW.0301")
    func authentication() throws {
        let e = try emulator()
        let path = "/v5/\(Self.project)/vpn-connection"
        #expect(e.handle(Self.request("GET", path)).status == 200)
        #expect(try json(e.handle(Self.request("GET", path, sk: Secret("wrong"))))["error_code"] as? String == "APIGW.0301")
        #expect(e.handle(Self.request("GET", path, date: Date().addingTimeInterval(-16 * 60))).status == 401)
        var tampered = Self.create(Self.item())
        tampered.body = Array(String(decoding: tampered.body, as: UTF8.self).replacingOccurrences(of: "192.168.2.0", with: "192.168.3.0").utf8)
        #expect(e.handle(tampered).status == 401)
        var unsigned = Self.request("GET", path)
        unsigned.headers.removeAll { $0.name == "Authorization" }
        #expect(e.handle(unsigned).status == 401)
    }

    @Test("list filters by gateway and pages by marker; show and delete")
    func listShowDelete() throws {
        let e = try emulator()
        for i in 0..<5 {
            #expect(e.handle(Self.create(Self.item(name: "c\(i)"))).status == 201)
        }
        var seen: [String] = []
        var marker: String?
        for _ in 0..<10 {
            var q = [QueryItem("vgw_id", Self.gateway), QueryItem("limit", "2")]
            if let marker { q.append(QueryItem("marker", marker)) }
            let page = try json(e.handle(Self.request("GET", "/v5/\(Self.project)/vpn-connection", query: q)))
            let items = page["vpn_connections"] as! [[String: Any]]
            seen += items.map { $0["name"] as! String }
            #expect(page["total_count"] as? Int == 5)
            let info = page["page_info"] as! [String: Any]
            if (info["current_count"] as! Int) < 2 { break }
            marker = info["next_marker"] as? String
        }
        #expect(seen == ["c0", "c1", "c2", "c3", "c4"])
        let other = try json(e.handle(Self.request("GET", "/v5/\(Self.project)/vpn-connection", query: [QueryItem("vgw_id", "00000000-0000-4000-8000-000000000000")])))
        #expect((other["vpn_connections"] as! [Any]).isEmpty)
        let id = e.connections()[0].id
        let shown = try json(e.handle(Self.request("GET", "/v5/\(Self.project)/vpn-connection/\(id)")))
        #expect((shown["vpn_connection"] as! [String: Any])["status"] as? String == "DOWN")
        #expect(e.handle(Self.request("DELETE", "/v5/\(Self.project)/vpn-connection/\(id)")).status == 204)
        #expect(try json(e.handle(Self.request("GET", "/v5/\(Self.project)/vpn-connection/\(id)")))["error_code"] as? String == "VPN.0004")
    }

    @Test("faults are deterministic under a seed; drop-after-commit creates, then drops")
    func faults() throws {
        func run(seed: UInt64) throws -> [Int?] {
            let e = try emulator {
                $0.seed = seed
                $0.faults = [FaultRule(operation: .batchCreate, kind: .status(429), rate: 0.3), FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 0.3)]
            }
            return (0..<30).map { i in e.handle(Self.create(Self.item(name: "c\(i)"))).status }
        }
        let a = try run(seed: 7), b = try run(seed: 7), c = try run(seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.contains(429) && a.contains(nil) && a.contains(201))

        let e = try emulator { $0.faults = [FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 1)] }
        #expect(e.handle(Self.create(Self.item())) == .drop)
        #expect(e.connections().count == 1)
        let refused = try emulator { $0.faults = [FaultRule(operation: .batchCreate, kind: .status(429), rate: 1)] }
        guard case .respond(429, let headers, _) = refused.handle(Self.create(Self.item())) else { Issue.record("no 429"); return }
        #expect(headers["Retry-After"] == "1")
        #expect(refused.connections().isEmpty)
    }

    @Test("fault specs parse, and bad ones are explained")
    func faultSpecs() throws {
        #expect(try FaultRule.parse("batch-create:429:0.2").get() == FaultRule(operation: .batchCreate, kind: .status(429), rate: 0.2))
        #expect(try FaultRule.parse("list:503:0.05").get().kind == .status(503))
        #expect(try FaultRule.parse("batch-create:drop-after-commit:0.1").get().kind == .dropAfterCommit)
        #expect(try FaultRule.parse("show-gateway:403:1").get()
            == FaultRule(operation: .showGateway, kind: .status(403), rate: 1))
        #expect(try FaultRule.parse("list-gateways:401:0.5").get().kind == .status(401))
        #expect(try FaultRule.parse("batch-create:error-status:0.1").get().kind == .errorStatus)
        #expect(FaultRule(operation: .batchCreate, kind: .errorStatus, rate: 0.1).description
            == "batch-create:error-status:0.1")
        for bad in ["batch-create:429", "create:429:0.1", "list:418:0.1", "list:503:2", "show:error-status:1"] {
            if case .success = FaultRule.parse(bad) { Issue.record("parsed \(bad)") }
        }
    }

    @Test("a quota per gateway refuses the batch that would pass it")
    func quota() throws {
        let e = try emulator { $0.quotaPerGateway = 3 }
        #expect(e.handle(Self.create(Self.item(name: "a"), Self.item(name: "b", ip: "1fb97767-d780-4d8b-83bb-6f878f662005"))).status == 201)
        let refused = e.handle(Self.create(Self.item(name: "c"), Self.item(name: "d", ip: "1fb97767-d780-4d8b-83bb-6f878f662005")))
        #expect(refused.status == 400)
        let message = try json(refused)["error_msg"] as? String ?? ""
        #expect(message.contains("quota"))
        #expect(e.handle(Self.create(Self.item(name: "c"))).status == 201)
    }

    @Test("with a data file, connections survive a restart")
    func persistence() throws {
        let scratch = Scratch()
        let file = scratch.path("emulator.json")
        let first = try emulator { $0.dataFile = file }
        #expect(first.handle(Self.create(Self.item())).status == 201)
        let second = try emulator { $0.dataFile = file }
        #expect(second.connections().map(\.id) == first.connections().map(\.id))
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!saved.contains("Abcdefgh123"))
    }
}

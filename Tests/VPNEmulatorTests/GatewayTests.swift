import Foundation
import Testing
import VPNAPI
import VPNEmulator

/// Gateways in the emulator, read by the real client over loopback HTTP.
@Suite struct GatewayTests {
    typealias F = LoopbackFixture
    static let other = "9030f6d6-32a8-4d20-a7f8-50a7a826e2f8"
    static let privateGateway = "a030f6d6-32a8-4d20-a7f8-50a7a826e2f8"

    @Test("show answers a seeded gateway in every project, with the documented fields")
    func show() async throws {
        let f = try F { $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips, connectionNumber: 10)] }
        defer { f.stop() }
        let g = try await f.client.showGateway(id: F.gateway)
        #expect(g.id == F.gateway && g.status == "ACTIVE" && g.networkType == "public" && g.attachmentType == "vpc")
        #expect(g.haMode == "active-active")
        #expect(g.eip1?.id == F.eips[0] && g.eip2?.id == F.eips[1])
        #expect(g.eip1?.ipAddress?.hasPrefix("203.0.113.") == true)
        #expect(g.accessPrivateIP1 == nil)
        #expect(g.connectionIPs == F.eips)
        #expect(g.connectionNumber == 10 && g.usedConnectionNumber == 0 && g.freeConnections == 10)
        let elsewhere = try await f.client(project: "fedcba9876543210fedcba9876543210").showGateway(id: F.gateway)
        #expect(elsewhere == g)
    }

    @Test("an IPv4 address makes a private gateway")
    func privateAddresses() {
        let g = VPNEmulator.makeGateway(id: Self.privateGateway, ips: ["10.1.0.5", "10.1.0.6"],
                                        haMode: "active-standby", attachmentType: "er", connectionNumber: 4)
        #expect(g.networkType == "private" && g.eip1 == nil && g.eip2 == nil)
        #expect(g.accessPrivateIP1 == "10.1.0.5" && g.accessPrivateIP2 == "10.1.0.6")
        #expect(g.connectionIPs == ["10.1.0.5", "10.1.0.6"])
        #expect(g.haMode == "active-standby" && g.attachmentType == "er")
        #expect(g.connectionNumber == 4 && g.status == "ACTIVE")
    }

    @Test("an unknown gateway is 404 VPN.0509; so is another project's gateway")
    func unknown() async throws {
        let f = try F()
        defer { f.stop() }
        f.emulator.addGateway(VPNEmulator.makeGateway(id: Self.other, ips: F.eips), project: "another-project")
        for id in [F.gateway, Self.other] {
            let e = await apiError { try await f.client.showGateway(id: id) }
            #expect(e?.status == 404 && e?.code == "VPN.0509", "\(String(describing: e))")
            #expect(e?.message.contains(id) == true)
        }
    }

    @Test("list: the project's own and the shared gateways, oldest first; vgw_id filters")
    func list() async throws {
        let f = try F { $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips)] }
        defer { f.stop() }
        f.emulator.addGateway(VPNEmulator.makeGateway(id: Self.privateGateway, ips: ["10.1.0.5"]), project: F.project)
        f.emulator.addGateway(VPNEmulator.makeGateway(id: Self.other, ips: F.eips), project: "another-project")
        #expect(try await f.client.listGateways().map(\.id) == [F.gateway, Self.privateGateway])
        #expect(f.emulator.gateways(project: "another-project").map(\.id) == [F.gateway, Self.other])
        #expect(f.emulator.gateways().count == 3)

        let e = try Self.emulator()
        e.addGateway(VPNEmulator.makeGateway(id: F.gateway, ips: F.eips))
        e.addGateway(VPNEmulator.makeGateway(id: Self.other, ips: F.eips))
        func get(_ query: QueryItem) throws -> [String: Any] {
            try json(e.handle(EmulatorHandlerTests.request("GET", "/v5/\(F.project)/vpn-gateways", query: [query])))
        }
        let filtered = try get(QueryItem("vgw_id", Self.other))
        #expect((filtered["vpn_gateways"] as? [[String: Any]])?.map { $0["id"] as? String } == [Self.other])
        let byProject = try get(QueryItem("enterprise_project_id", "1"))
        #expect((byProject["vpn_gateways"] as? [Any])?.isEmpty == true)
    }

    @Test("the answers have the documented shape: vpn_gateway / vpn_gateways, request_id, no paging")
    func shapes() throws {
        let e = try Self.emulator()
        e.addGateway(VPNEmulator.makeGateway(id: F.gateway, ips: F.eips))
        let path = "/v5/\(F.project)/vpn-gateways"
        let shown = try json(e.handle(EmulatorHandlerTests.request("GET", "\(path)/\(F.gateway)")))
        #expect(Set(shown.keys) == ["vpn_gateway", "request_id"])
        let g = try #require(shown["vpn_gateway"] as? [String: Any])
        for key in ["id", "name", "status", "attachment_type", "network_type", "ha_mode", "eip1", "eip2", "flavor",
                    "connection_number", "used_connection_number", "enterprise_project_id", "created_at",
                    "updated_at"] {
            #expect(g[key] != nil, "\(key) missing")
        }
        #expect(Set((g["eip1"] as? [String: Any] ?? [:]).keys) == ["id", "ip_address"])
        #expect((g["created_at"] as? String)?.hasSuffix("Z") == true)
        let listed = try json(e.handle(EmulatorHandlerTests.request("GET", path)))
        #expect(Set(listed.keys) == ["vpn_gateways", "request_id"])
    }

    @Test("used_connection_number counts the project's connections on the gateway")
    func used() async throws {
        let f = try F { $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips)] }
        defer { f.stop() }
        let made = try await f.client.batchCreate(F.pair("a"))
        _ = try await f.client.batchCreate(F.pair("b"))
        #expect(try await f.client.showGateway(id: F.gateway).usedConnectionNumber == 4)
        try await f.client.deleteConnection(id: made.vpnConnections[0].id)
        #expect(try await f.client.listGateways().first?.usedConnectionNumber == 3)
        let elsewhere = f.client(project: "fedcba9876543210fedcba9876543210")
        #expect(try await elsewhere.showGateway(id: F.gateway).usedConnectionNumber == 0)
        #expect(f.emulator.removeConnection(id: made.vpnConnections[1].id))
        #expect(!f.emulator.removeConnection(id: made.vpnConnections[1].id))
        #expect(try await f.client.showGateway(id: F.gateway).usedConnectionNumber == 2)
    }

    @Test("without strict gateways an unknown one is made on the fly from the request's vgw_ips")
    func autoCreate() async throws {
        let f = try F { $0.quotaPerGateway = 7 }
        defer { f.stop() }
        _ = try await f.client.batchCreate(F.pair("a", ips: [F.eips[0]]))
        var g = try await f.client.showGateway(id: F.gateway)
        #expect(g.status == "ACTIVE" && g.connectionIPs == [F.eips[0]])
        #expect(g.connectionNumber == 7 && g.usedConnectionNumber == 1)
        _ = try await f.client.batchCreate(F.pair("b"))  // a second address is adopted
        g = try await f.client.showGateway(id: F.gateway)
        #expect(g.connectionIPs == F.eips && g.usedConnectionNumber == 3)
        _ = try await f.client.batchCreate(F.pair("c", gateway: Self.privateGateway, ips: ["10.1.0.5"]))
        let p = try await f.client.showGateway(id: Self.privateGateway)
        #expect(p.networkType == "private" && p.accessPrivateIP1 == "10.1.0.5")
        let another = f.client(project: "another")
        #expect(await apiError { try await another.showGateway(id: F.gateway) }?.code == "VPN.0509",
                "made in the creating project only")
    }

    @Test("with strict gateways an unknown one is 404 VPN.0509 and nothing is created")
    func strict() async throws {
        let f = try F { $0.autoCreateGateways = false }
        defer { f.stop() }
        let e = await apiError { try await f.client.batchCreate(F.pair("a")) }
        #expect(e?.status == 404 && e?.code == "VPN.0509")
        #expect(f.emulator.connections().isEmpty && f.emulator.gateways().isEmpty)
        f.emulator.addGateway(VPNEmulator.makeGateway(id: F.gateway, ips: F.eips))
        #expect(try await f.client.batchCreate(F.pair("a")).vpnConnections.count == 2)
    }

    @Test("a vgw_ip that is not the registered gateway's is 400 VPN.0001 naming it", arguments: [true, false])
    func foreignAddress(auto: Bool) async throws {
        let f = try F {
            $0.autoCreateGateways = auto
            $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips)]
        }
        defer { f.stop() }
        let stranger = "2fb97767-d780-4d8b-83bb-6f878f662005"
        let e = await apiError { try await f.client.batchCreate(F.pair("a", ips: [F.eips[0], stranger])) }
        #expect(e?.status == 400 && e?.code == "VPN.0001")
        #expect(e?.message.contains("vpn_connections[1].vgw_ip") == true && e?.message.contains(stranger) == true)
        #expect(f.emulator.connections().isEmpty)
    }

    @Test("a gateway's connection_number refuses the batch that would pass it")
    func quota() async throws {
        let f = try F { $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips, connectionNumber: 3)] }
        defer { f.stop() }
        _ = try await f.client.batchCreate(F.pair("a"))
        let e = await apiError { try await f.client.batchCreate(F.pair("b")) }
        #expect(e?.status == 400 && e?.code == "VPN.0001" && e?.message.contains("quota") == true)
        _ = try await f.client.batchCreate(F.pair("c", ips: [F.eips[0]]))
        #expect(f.emulator.connections().count == 3)
        #expect(try await f.client.showGateway(id: F.gateway).freeConnections == 0)
    }

    @Test("a gateway that is not ACTIVE refuses creates with the documented code", arguments: [
        ("PENDING_CREATE", "VPN.0506"), ("PENDING_UPDATE", "VPN.0507"), ("PENDING_DELETE", "VPN.0508"),
        ("FREEZED", "VPN.0001"),
    ])
    func notActive(status: String, code: String) async throws {
        let f = try F { $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips)] }
        defer { f.stop() }
        #expect(f.emulator.updateGateway(id: F.gateway) { $0.status = status })
        #expect(!f.emulator.updateGateway(id: Self.other) { $0.status = status })
        #expect(try await f.client.showGateway(id: F.gateway).status == status)
        #expect(await apiError { try await f.client.batchCreate(F.pair("a")) }?.code == code)
        #expect(f.emulator.connections().isEmpty)
    }

    @Test("faults on the gateway reads: 401 as the API gateway, 403 as the VPN service, 5xx")
    func faults() async throws {
        let f = try F {
            $0.gateways = [VPNEmulator.makeGateway(id: F.gateway, ips: F.eips)]
            $0.faults = [FaultRule(operation: .showGateway, kind: .status(403), rate: 1),
                         FaultRule(operation: .listGateways, kind: .status(401), rate: 1)]
        }
        defer { f.stop() }
        // A client stops after refused credentials, so each read uses a fresh one.
        let forbidden = await apiError { try await f.client(project: F.project).showGateway(id: F.gateway) }
        #expect(forbidden?.status == 403 && forbidden?.code == "VPN.0007")
        #expect(forbidden?.message.contains("vpn:vpnGateways:get") == true)
        let unauthorized = await apiError { try await f.client(project: F.project).listGateways() }
        #expect(unauthorized?.status == 401 && unauthorized?.code == "APIGW.0301")
        f.emulator.setFaults([try FaultRule.parse("list-gateways:500:1").get()])
        #expect(await apiError { try await f.client(project: F.project).listGateways() }?.status == 500)
        f.emulator.setFaults([])
        #expect(try await f.client(project: F.project).listGateways().count == 1)
    }

    @Test("gateways survive a restart through the data file; a data file without gateways still loads")
    func persistence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emu-gw-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        func emulator() throws -> VPNEmulator { try Self.emulator { $0.dataFile = file.path } }
        let first = try emulator()
        first.addGateway(VPNEmulator.makeGateway(id: F.gateway, ips: F.eips, connectionNumber: 5))
        first.addGateway(VPNEmulator.makeGateway(id: Self.privateGateway, ips: ["10.1.0.5"]), project: F.project)
        #expect(first.handle(EmulatorHandlerTests.create(EmulatorHandlerTests.item())).status == 201)
        first.updateGateway(id: F.gateway) { $0.haMode = "active-standby" }
        let second = try emulator()
        #expect(second.gateways(project: F.project) == first.gateways(project: F.project))
        #expect(second.gateways(project: F.project).map(\.usedConnectionNumber) == [1, 0])
        #expect(second.gateways(project: "elsewhere").map(\.id) == [F.gateway])
        #expect(second.gateways(project: F.project).first?.haMode == "active-standby")

        let old = """
        {"connections":[{"connection":{"id":"c1","name":"old","status":"DOWN","vgw_id":"\(F.gateway)"},\
        "created_ms":1700000000000,"project_id":"\(F.project)"}],"tunnel_counter":3}
        """
        try old.write(to: file, atomically: true, encoding: .utf8)
        let third = try emulator()
        #expect(third.connections().map(\.status) == ["DOWN"])
        #expect(third.gateways().isEmpty)
    }

    @Test("a console edit of a stored connection shows in show and list")
    func updateConnection() async throws {
        let f = try F()
        defer { f.stop() }
        let made = try await f.client.batchCreate(F.pair("a"))
        let id = made.vpnConnections[0].id
        #expect(f.emulator.updateConnection(id: id) {
            $0.peerSubnets = ["192.168.9.0/24"]
            $0.status = "ACTIVE"
            $0.id = "ignored"
        })
        #expect(!f.emulator.updateConnection(id: "missing") { $0.name = "x" })
        let shown = try await f.client.showConnection(id: id)
        #expect(shown.peerSubnets == ["192.168.9.0/24"] && shown.status == "ACTIVE")
        let listed = try await f.client.listConnections(vgwID: F.gateway).first { $0.id == id }
        #expect(listed?.peerSubnets == ["192.168.9.0/24"])
    }

    /// An emulator called directly, without a socket.
    static func emulator(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) throws -> VPNEmulator {
        var config = EmulatorConfiguration(accessKey: EmulatorHandlerTests.ak, secretKey: EmulatorHandlerTests.sk)
        configure(&config)
        return try VPNEmulator(configuration: config)
    }

    func json(_ reply: EmulatorReply) throws -> [String: Any] {
        guard case .respond(_, _, let body) = reply else { throw CancellationError() }
        return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }
}

import Foundation
import Testing
import VPNAPI
@testable import VPNEmulator

/// `PUT` of a connection, the tag API and delete through `PENDING_DELETE`.
@Suite struct UpdateDeleteTests {
    typealias F = LoopbackFixture
    typealias S = ConnectionStatusTests

    static func put(_ id: String, _ body: String) -> EmulatorRequest {
        EmulatorHandlerTests.request("PUT", "/v5/\(F.project)/vpn-connection/\(id)",
                                     body: "{\"vpn_connection\": \(body)}")
    }

    func message(_ reply: EmulatorReply) -> String {
        guard case .respond(_, _, let body) = reply else { return "" }
        return String(decoding: body, as: UTF8.self)
    }

    @Test("PUT changes updatable fields; PENDING_UPDATE while settle runs, a second PUT meanwhile is 409 VPN.0306")
    func update() throws {
        let clock = S.ManualClock()
        let e = try S.emulator(clock: clock, settle: .seconds(5))
        let id = try S().create(e).id
        clock.advance(6)
        let first = e.handle(Self.put(id, "{\"peer_subnets\": [\"10.9.0.0/24\"], \"psk\": \"Newkey-12345\", "
                                          + "\"ikepolicy\": {\"dh_group\": \"group19\"}}"))
        #expect(first.status == 200, "\(message(first))")
        #expect(!message(first).contains("Newkey-12345"))
        #expect(try S().status(e, id) == "PENDING_UPDATE")
        let busy = e.handle(Self.put(id, "{\"name\": \"hq-b-1\"}"))
        #expect(busy.status == 409 && message(busy).contains("VPN.0306"))
        clock.advance(6)
        #expect(try S().status(e, id) == "DOWN")
        let stored = e.connections().first { $0.id == id }
        #expect(stored?.peerSubnets == ["10.9.0.0/24"])
        #expect(stored?.ikepolicy?.dhGroup == "group19")
    }

    @Test("PUT of a field the API cannot update is 400 naming it", arguments: [
        ("{\"style\": \"bgp\"}", "vpn_connection.style cannot be updated"),
        ("{\"vgw_ip\": \"x\"}", "vpn_connection.vgw_ip cannot be updated"),
        ("{\"ha_role\": \"slave\"}", "vpn_connection.ha_role cannot be updated"),
        ("{\"ikepolicy\": {\"authentication_method\": \"pre-share\"}}",
         "ikepolicy.authentication_method cannot be updated"),
        ("{\"colour\": \"red\"}", "unsupported attribute: vpn_connection.colour"),
    ])
    func fixed(body: String, expected: String) throws {
        let e = try S.emulator(clock: S.ManualClock(), settle: .zero)
        let id = try S().create(e).id
        let reply = e.handle(Self.put(id, body))
        #expect(reply.status == 400)
        #expect(message(reply).contains(expected), "\(message(reply))")
        #expect(e.handle(Self.put("no-such-id", "{\"name\": \"x\"}")).status == 404)
    }

    @Test("tags/create adds or replaces by key, tags/delete removes by key, GET …/tags lists them")
    func tags() throws {
        let e = try S.emulator(clock: S.ManualClock(), settle: .zero)
        let id = try S().create(e).id
        let path = "/v5/\(F.project)/vpn-connection/\(id)/tags"
        func tags(_ pairs: [(String, String)]) -> String {
            "{\"tags\": [" + pairs.map { "{\"key\": \"\($0.0)\", \"value\": \"\($0.1)\"}" }.joined(separator: ", ") + "]}"
        }
        let add = e.handle(EmulatorHandlerTests.request("POST", path + "/create", body: tags([("a", "1"), ("b", "2")])))
        #expect(add.status == 204)
        _ = e.handle(EmulatorHandlerTests.request("POST", path + "/create", body: tags([("a", "3")])))
        _ = e.handle(EmulatorHandlerTests.request("POST", path + "/delete", body: tags([("b", "2")])))
        let listed = e.handle(EmulatorHandlerTests.request("GET", path))
        #expect(listed.status == 200)
        #expect(e.connections().first { $0.id == id }?.tags == [ResourceTag(key: "a", value: "3")])
    }

    @Test("DELETE goes through PENDING_DELETE while settle runs (a second DELETE is answered alike), then 404")
    func delete() throws {
        let clock = S.ManualClock()
        let e = try S.emulator(clock: clock, settle: .seconds(5))
        let id = try S().create(e).id
        clock.advance(6)
        let path = "/v5/\(F.project)/vpn-connection/\(id)"
        #expect(e.handle(EmulatorHandlerTests.request("DELETE", path)).status == 204)
        #expect(try S().status(e, id) == "PENDING_DELETE")
        #expect(e.handle(EmulatorHandlerTests.request("DELETE", path)).status == 204)
        clock.advance(6)
        #expect(e.handle(EmulatorHandlerTests.request("GET", path)).status == 404)
        #expect(e.handle(EmulatorHandlerTests.request("DELETE", path)).status == 404)
        #expect(e.connections().isEmpty)
    }
}

import Testing
import VPNApply
import VPNForm
@testable import VPNFormCLI

/// The gateways `vpnform emulator --gateways-from` (and `apply --emulator`) register for desired files.
@Suite struct EmulatorGatewaySeedTests {
    static func load(_ yaml: String) throws -> DesiredState {
        try #require(DesiredStateLoader().load(bytes: Array(yaml.utf8), file: "vpn.yaml").state)
    }

    static func file(gateway: String, ips: [String], haRole: String?, inTunnel: Bool = false) -> String {
        var connection = """
              - name: site
                cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5
                peer_subnets: [192.168.2.0/24]
                psk: ${PSK_SITE}

        """
        if let haRole, inTunnel {
            connection += "        tunnels:\n" + ips.map { _ in "          - {ha_role: \(haRole)}\n" }.joined()
        } else if let haRole {
            connection += "        ha_role: \(haRole)\n"
        }
        return """
        version: 1
        region: cn-north-4
        gateways:
          - name: gw
            id: \(gateway)
            ips: [\(ips.joined(separator: ", "))]
            connections:

        """ + connection
    }

    static let a = "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8", b = "9030f6d6-32a8-4d20-a7f8-50a7a826e2f8"
    static let eip1 = "0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4", eip2 = "1fb97767-d780-4d8b-83bb-6f878f662005"

    @Test("ha_role on a connection or on a tunnel makes the gateway active-standby", arguments: [
        (nil, false, "active-active"), ("master", false, "active-standby"), ("slave", true, "active-standby"),
    ])
    func haMode(role: String?, inTunnel: Bool, expected: String) throws {
        let yaml = Self.file(gateway: Self.a, ips: [Self.eip1, Self.eip2], haRole: role, inTunnel: inTunnel)
        let state = try Self.load(yaml)
        let gateways = EmulatorGatewaySeed.gateways(in: [state], connectionNumber: 9)
        #expect(gateways.map(\.haMode) == [expected])
        #expect(gateways.first?.connectionIPs == [Self.eip1, Self.eip2] && gateways.first?.connectionNumber == 9)
    }

    @Test("the same gateway in two files is one gateway with the addresses of both")
    func merged() throws {
        let first = try Self.load(Self.file(gateway: Self.a, ips: [Self.eip1], haRole: nil))
        let second = try Self.load(Self.file(gateway: Self.a, ips: [Self.eip2], haRole: "master"))
        let third = try Self.load(Self.file(gateway: Self.b, ips: ["10.1.0.5"], haRole: nil))
        let gateways = EmulatorGatewaySeed.gateways(in: [first, second, third])
        #expect(gateways.map(\.id) == [Self.a, Self.b])
        #expect(gateways[0].connectionIPs == [Self.eip1, Self.eip2] && gateways[0].haMode == "active-standby")
        #expect(gateways[1].networkType == "private" && gateways[1].accessPrivateIP1 == "10.1.0.5")
    }
}

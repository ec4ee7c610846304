import Foundation
import TestSupport
import Testing
import VPNAPI
import VPNCrypto
@testable import VPNEmulator
import VPNValues
@testable import VPNApply
@testable import VPNForm

/// The attribute table against what reads and writes each attribute: the spec, the API models, the emulator.
@Suite struct AttributeTableTests {
    static var examples: DesiredState {
        let yaml = (try? String(contentsOf: Repository.url("examples/quickstart.yaml"), encoding: .utf8)) ?? ""
        return DesiredStateLoader().load(bytes: Array(yaml.utf8), file: "quickstart.yaml").state!
    }

    @Test("every spec attribute of the examples has a descriptor, and so a change method")
    func specKeys() {
        for g in Self.examples.gateways {
            for c in g.connections {
                for key in PairSpec(gateway: g, connection: c).attributes.keys {
                    #expect(AttributeTable.attribute(forSpecKey: key) != nil, "\(key) is not in the table")
                }
            }
        }
    }

    @Test("what the table updates in place the update API accepts; what it replaces the update API refuses")
    func updatable() {
        for a in AttributeTable.connection + AttributeTable.derived {
            let top = String(a.apiField.prefix { $0 != "." })
            switch a.change {
            case .inPlace: #expect(UpdateVPNConnection.updatableKeys.contains(top), "\(a.apiField)")
            case .tagAPI, .replacement where top == a.apiField:
                #expect(!UpdateVPNConnection.updatableKeys.contains(top), "\(a.apiField)")
            default: break
            }
        }
    }

    @Test("every field a batch-create sends is an attribute of the table")
    func apiFields() throws {
        let g = Self.examples.gateways[0]
        let fields = Set((AttributeTable.connection + AttributeTable.derived).map(\.apiField))
        for c in g.connections {
            let request = BatchCreateRequest(gateway: g, connection: c, psk: Secret("Abcdefgh-123"))
            let body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as! [String: Any]
            for item in body["vpn_connections"] as! [[String: Any]] {
                for key in item.keys { #expect(fields.contains(key), "\(key) is sent but not in the table") }
            }
        }
    }

    @Test("the decoder's defaults keys are the table's")
    func decoderKeys() {
        let yaml = "version: 1\nregion: cn-north-4\ndefaults: {colour: red}\ngateways: []\n"
        let loaded = DesiredStateLoader().load(bytes: Array(yaml.utf8), file: "x.yaml")
        let message = loaded.diagnostics.map(\.message).joined()
        #expect(message.contains("colour"))
        #expect(AttributeTable.defaultsKeys.contains("peer_subnets") && !AttributeTable.defaultsKeys.contains("name"))
    }

    @Test("a connection accepts every attribute of the table; a tunnel only the per-IP ones",
          arguments: AttributeTable.connection)
    func connectionKeys(_ a: ConnectionAttribute) {
        let yaml = "version: 1\nregion: cn-north-4\ngateways:\n- name: g\n  id: vgw-1\n  ips: [eip-1]\n"
            + "  connections:\n  - name: c\n    \(a.yamlKey): 1\n    tunnels: [{\(a.yamlKey): 1}]\n"
        let diagnostics = DesiredStateLoader().load(bytes: Array(yaml.utf8), file: "x.yaml").diagnostics
        let unknown = diagnostics.filter { $0.message.hasPrefix("unknown key \"\(a.yamlKey)\"") }.map(\.path)
        #expect(unknown == (a.perTunnel ? [] : ["gateways[0].connections[0].tunnels[0].\(a.yamlKey)"]))
        #expect(AttributeTable.connectionKeys.contains(a.yamlKey))
    }

    @Test("every top-level API field of the table has a request mapping, which updates exactly what PUT changes")
    func requestMapping() {
        let table = AttributeTable.connection + AttributeTable.derived
        for a in table where !a.apiField.contains(".") {
            let field = RequestField.of(a)
            #expect(field != nil, "\(a.apiField) has no request mapping")
            #expect((field?.update != nil) == (a.change == .inPlace), "\(a.apiField)")
        }
        #expect(Set(RequestField.byAPIField.keys) == Set(table.map(\.apiField).filter { !$0.contains(".") }))
    }

    @Test("an update body carries the create item's updatable fields, and its key only when sending it")
    func updateBody() throws {
        let g = Self.examples.gateways[0]
        let request = BatchCreateRequest(gateway: g, connection: g.connections[0], psk: Secret("Abcdefgh-123"))
        let item = try #require(request.vpnConnections.first)
        let body = UpdateVPNConnection(item)
        #expect(body.name == item.name && body.cgwID == item.cgwID && body.peerSubnets == item.peerSubnets)
        #expect(body.ipsecpolicy == item.ipsecpolicy && body.policyRules == item.policyRules)
        #expect(body.ikepolicy?.authenticationMethod == nil && body.psk == nil)
        #expect(UpdateVPNConnection(item, sendingKey: true).psk == Secret("Abcdefgh-123"))
    }

    @Test("the spec writer has one writer per top-level spec key of the table, and per-IP ones under connections[i]")
    func specWriters() {
        let top = (AttributeTable.connection + AttributeTable.derived).filter { !$0.specKey.contains(".") }
        #expect(Set(SpecField.allCases.map(\.rawValue)) == Set(top.map(\.specKey)))
        let perIP = ["ha_role", "name", "tunnel_local_address", "tunnel_peer_address", "vgw_ip"]
        #expect(SpecField.layout.perIP.map(\.rawValue) == perIP)
        #expect(SpecField.keys(ofIP: 2).first == "connections[2].ha_role")
        for g in Self.examples.gateways {
            for c in g.connections {
                let keys = PairSpec(gateway: g, connection: c).attributes.keys
                for key in keys where key.hasPrefix("connections[") {
                    #expect(AttributeTable.attribute(forSpecKey: key)?.perIP == true, "\(key)")
                }
            }
        }
    }

    @Test("the spec's connection names are the gateway's API names, escaped as JSON, tunnel names or derived")
    func specNamesAreAPINames() {
        for g in Self.examples.gateways {
            for c in g.connections {
                let names = PairSpec(gateway: g, connection: c).connectionRecords.map(\.name)
                #expect(names == g.apiNames(of: c).map(\.value))
            }
        }
        let mark = Mark(line: 1, column: 1)
        var tunnel = Tunnel(mark: mark)
        tunnel.name = Located("own \"name\"", at: mark)
        for tunnels in [nil, [tunnel], [Tunnel(mark: mark), tunnel]] as [[Tunnel]?] {
            let c = Connection(name: Located("c\\\u{1}é", at: mark), index: 0, mark: mark, fields: ConnectionFields(),
                               spec: ConnectionFields(), tunnels: tunnels.map { Located($0, at: mark) })
            let ips = (0..<3).map { Located("192.0.2.\($0)", at: mark) }
            let g = Gateway(name: Located("g\"w\t", at: mark), index: 0, id: Located(GatewayID("vgw"), at: mark),
                            ips: Located(ips, at: mark), connections: [c], mark: mark)
            let spec = PairSpec(gateway: g, connection: c)
            #expect(spec.connectionRecords.map(\.name) == g.apiNames(of: c).map(\.value))
            #expect(spec.attributes["connections[2].name"] == .string("g\"w\t-c\\\u{1}é-3"))
        }
    }

    /// `Tests/Schema/attributes.json`, which the schema generator reads, as the table says it.
    static var schemaAttributes: String {
        func list(_ keys: [String]) -> String { "[" + keys.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        return "{\n  \"connection\": \(list(AttributeTable.connectionKeys)),\n"
            + "  \"defaults\": \(list(AttributeTable.defaultsKeys)),\n"
            + "  \"tunnel\": \(list(AttributeTable.tunnelKeys))\n}\n"
    }

    @Test("the schema generator's attributes.json is the table's; VPNFORM_UPDATE_GOLDEN=1 rewrites it")
    func schemaAttributesFile() throws {
        let url = Repository.url("Tests/Schema/attributes.json")
        if ProcessInfo.processInfo.environment["VPNFORM_UPDATE_GOLDEN"] == "1" {
            try Self.schemaAttributes.write(to: url, atomically: true, encoding: .utf8)
        }
        let actual = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == Self.schemaAttributes, "regenerate with VPNFORM_UPDATE_GOLDEN=1, then generate_schema.py")
    }

    @Test("the emulator answers a created connection with every attribute of the table (the key never)")
    func emulatorEchoesTable() throws {
        var random = SplitMix64(seed: 1)
        var answered = Set<String>()
        for g in Self.examples.gateways {
            for c in g.connections {
                let request = BatchCreateRequest(gateway: g, connection: c, psk: Secret("Abcdefgh-123"))
                for item in request.vpnConnections {
                    let answer = ConnectionDefaults.response(for: item, id: "id", createdMillis: 0,
                                                             tunnel: ("169.254.1.1", "169.254.1.2"), random: &random)
                    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(answer)) as! [String: Any]
                    answered.formUnion(json.keys)
                }
            }
        }
        for a in AttributeTable.connection + AttributeTable.derived where !a.apiField.contains(".") {
            #expect(answered.contains(a.apiField) == (a.apiField != "psk"), "\(a.apiField)")
        }
    }

    @Test("a connection's own value wins over defaults; what it leaves unset is inherited")
    func mergeKeys() {
        var base = ConnectionFields(), own = ConnectionFields()
        base.cgwID = Located(CustomerGatewayID(rawValue: "base"), at: .start)
        base.enableHub = Located(true, at: .start)
        own.cgwID = Located(CustomerGatewayID(rawValue: "own"), at: .start)
        let m = own.merged(over: base)
        #expect(m.cgwID?.value.rawValue == "own" && m.enableHub?.value == true && m.style == nil)
    }
}

import Testing
import VPNForm

/// The API names of a gateway without `tunnels[i].name` overrides are checked without being made;
/// a gateway with one override makes and checks them all. Both must say the same.
@Suite struct DerivedAPINameTests {
    static let long = String(repeating: "c", count: 61)  // g-CCC…-1 is 65 characters

    /// A gateway `g` whose connections have these names, with one extra connection `o` that
    /// overrides its tunnel names when `override` is set.
    static func file(_ names: [String], override: Bool) -> String {
        var text = """
            version: 1
            region: cn-north-4
            defaults: {cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5, psk: "${PSK}", peer_subnets: [192.168.2.0/24]}
            gateways:
              - name: g
                id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
                ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4, 10.0.0.10]
                connections:

            """
        for name in names { text += "      - {name: \(name)}\n" }
        if override {
            text += "      - {name: o, style: bgp, tunnels: [{name: x1, tunnel_local_address: 169.254.1.1/30, "
                + "tunnel_peer_address: 169.254.1.2/30}, {name: x2, tunnel_local_address: 169.254.1.5/30, "
                + "tunnel_peer_address: 169.254.1.6/30}]}\n"
        }
        return text
    }

    func diagnostics(_ text: String) -> [String] {
        DesiredStateLoader().load(bytes: Array(text.utf8), file: "t.yaml").diagnostics.map(\.description)
    }

    @Test("duplicate, too long and fine names: the same diagnostics either way", arguments: [
        ["a", "b"], ["a", "a", "b", "a"], [long, "b"], [long, long], ["a-1", "a", "a-1"],
    ])
    func same(names: [String]) {
        let derived = diagnostics(Self.file(names, override: false))
        let made = diagnostics(Self.file(names, override: true))
        #expect(derived == made)
    }

    @Test("a duplicate connection name is also a duplicate API name, per IP; a long one is too long")
    func reported() {
        let d = diagnostics(Self.file(["a", "a", Self.long], override: false))
        let duplicates = d.filter { $0.contains("duplicate API connection name \"g-a-") && $0.contains("(first at 9:") }
        #expect(duplicates.count == 2)
        #expect(d.filter { $0.contains("is longer than 64 characters") }.count == 2)
        #expect(d.filter { $0.contains("duplicate connection name \"a\"") }.count == 1)
    }
}

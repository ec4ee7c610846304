import VPNValues

/// Generates realistic desired-state files of any size, deterministically from a seed: gateways
/// with one or two IPs, static, bgp and policy connections, defaults, tags and policies. Used by
/// the tests' property checks and by `vpnform-bench`.
public struct EstateGenerator: Sendable {
    /// Number of pairs (gateway × connection) to generate.
    public var pairs: Int
    /// Connections per gateway.
    public var connectionsPerGateway: Int
    /// Seed of the generator.
    public var seed: UInt64
    /// Whether every gateway has two IPs (otherwise every fifth has one).
    public var twoIPs: Bool

    /// Creates a generator.
    public init(pairs: Int, connectionsPerGateway: Int = 20, seed: UInt64 = 42, twoIPs: Bool = false) {
        self.pairs = pairs
        self.connectionsPerGateway = connectionsPerGateway
        self.seed = seed
        self.twoIPs = twoIPs
    }

    /// A UUID derived from a kind and a number: unique, stable, valid.
    public static func uuid(_ kind: UInt32, _ n: Int) -> String {
        let hex = String(n, radix: 16)
        let tail = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        let k = String(kind, radix: 16)
        return String(repeating: "0", count: max(0, 8 - k.count)) + k + "-0000-4000-8000-" + tail
    }

    /// The YAML text.
    public func yaml() -> String {
        var rng = SplitMix64(seed: seed)
        var out = """
        version: 1
        project_id: 0123456789abcdef0123456789abcdef
        region: cn-north-4
        defaults:
          ikepolicy:
            ike_version: v2
            encryption_algorithm: aes-256
            dh_group: group16
            dpd: {timeout: 15, interval: 30, msg: seq-hash-notify}
          ipsecpolicy:
            pfs: group16
            lifetime_seconds: 3600
          tags: {managed-by: vpnform}
        gateways:

        """
        out.reserveCapacity(pairs * 420)
        var made = 0, g = 0
        while made < pairs {
            let ipCount = twoIPs || g % 5 != 4 ? 2 : 1
            out += "  - name: gw\(g)\n    id: \(Self.uuid(0xa, g))\n    ips:\n"
            for i in 0..<ipCount { out += "      - \(Self.uuid(0xe, g * 2 + i))\n" }
            out += "    connections:\n"
            for c in 0..<min(connectionsPerGateway, pairs - made) {
                let n = made + c
                let style = ["static", "static", "bgp", "policy"][Int(rng.next() % 4)]
                out += "      - name: site\(c)\n"
                out += "        cgw_id: \(Self.uuid(0xc, n))\n"
                out += "        style: \(style)\n"
                let net = n % 65_536
                out += "        peer_subnets: [10.\(net / 256).\(net % 256).0/24, 172.16.\(n % 256).0/24]\n"
                out += "        psk: ${PSK_SITE\(n % 50)}\n"
                switch style {
                case "static":
                    if rng.next() % 3 == 0 { out += "        enable_nqa: true\n" }
                case "bgp":
                    out += "        tunnels:\n"
                    for i in 0..<ipCount {
                        let base = (n * 2 + i) * 4 % 65_536
                        let third = base / 256 == 195 ? 196 : base / 256
                        out += "          - {tunnel_local_address: 169.254.\(third).\(base % 256 + 1)/30, tunnel_peer_address: 169.254.\(third).\(base % 256 + 2)/30\(i == 1 ? ", ha_role: slave" : "")}\n"
                    }
                default:
                    out += "        policy_rules:\n"
                    out += "          - {source: 10.\(net / 256).\(net % 256).0/24, destination: [192.168.\(n % 256).0/24, 192.169.\(n % 256).0/24]}\n"
                }
                if rng.next() % 4 == 0 {
                    out += "        ikepolicy:\n          lifetime_seconds: \(3600 * (1 + Int(rng.next() % 24)))\n"
                }
                out += "        tags: {site: s\(n), tier: t\(rng.next() % 3)}\n"
            }
            made += min(connectionsPerGateway, pairs - made)
            g += 1
        }
        return out
    }
}

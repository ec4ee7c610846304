@testable import VPNForm
import VPNValues
import Testing

/// ``ConnectionFields/merge(over:)``, written out attribute by attribute, against the merge stated
/// key by key for every key `defaults` may set.
@Suite struct ConnectionFieldsMergeTests {
    /// Fills one attribute of a connection's fields from `defaults`.
    typealias Merge = @Sendable (inout ConnectionFields, ConnectionFields) -> Void

    /// The merge stated key by key, one entry per YAML key `defaults` may set: the oracle
    /// ``ConnectionFields/merge(over:)`` is held to.
    static let merges: [String: Merge] = [
        "cgw_id": { m, b in if m.cgwID == nil { m.cgwID = b.cgwID } },
        "style": { m, b in if m.style == nil { m.style = b.style } },
        "peer_subnets": { m, b in if m.peerSubnets == nil { m.peerSubnets = b.peerSubnets } },
        "tunnel_local_address": { m, b in
            if m.tunnelLocalAddress == nil { m.tunnelLocalAddress = b.tunnelLocalAddress }
        },
        "tunnel_peer_address": { m, b in if m.tunnelPeerAddress == nil { m.tunnelPeerAddress = b.tunnelPeerAddress } },
        "enable_nqa": { m, b in if m.enableNQA == nil { m.enableNQA = b.enableNQA } },
        "enable_hub": { m, b in if m.enableHub == nil { m.enableHub = b.enableHub } },
        "psk": { m, b in if m.psk == nil { m.psk = b.psk } },
        "policy_rules": { m, b in if m.policyRules == nil { m.policyRules = b.policyRules } },
        "ikepolicy": { m, b in
            guard let inherited = b.ikePolicy else { return }
            m.ikePolicy = m.ikePolicy.map { $0.merged(over: inherited) } ?? inherited
        },
        "ipsecpolicy": { m, b in
            guard let inherited = b.ipsecPolicy else { return }
            m.ipsecPolicy = m.ipsecPolicy.map { $0.merged(over: inherited) } ?? inherited
        },
        "ha_role": { m, b in if m.haRole == nil { m.haRole = b.haRole } },
        "tags": { m, b in if m.tags == nil { m.tags = b.tags } },
    ]

    /// Fields with the attributes of `keys` set, their values told apart by `text`.
    static func fields(_ text: String, keys: Set<String>, line: Int) -> ConnectionFields {
        let at = Mark(line: line, column: 1)
        var f = ConnectionFields()
        if keys.contains("cgw_id") { f.cgwID = Located(CustomerGatewayID(rawValue: text), at: at) }
        if keys.contains("style") { f.style = Located(text == "own" ? .bgp : .policy, at: at) }
        if keys.contains("peer_subnets") { f.peerSubnets = Located([Located("10.\(line).0.0/16", at: at)], at: at) }
        if keys.contains("tunnel_local_address") { f.tunnelLocalAddress = Located(text + "-local", at: at) }
        if keys.contains("tunnel_peer_address") { f.tunnelPeerAddress = Located(text + "-peer", at: at) }
        if keys.contains("enable_nqa") { f.enableNQA = Located(text == "own", at: at) }
        if keys.contains("enable_hub") { f.enableHub = Located(text != "own", at: at) }
        if keys.contains("psk") { f.psk = Located(.environment(text.uppercased()), at: at) }
        if keys.contains("policy_rules") {
            f.policyRules = Located([PolicyRule(source: Located(text, at: at), destination: nil, mark: at)], at: at)
        }
        if keys.contains("ikepolicy") {
            var p = IKEPolicy()
            if line % 2 == 0 { p.ikeVersion = Located(.v2, at: at) } else { p.dhGroup = Located(.group20, at: at) }
            p.lifetimeSeconds = Located(line, at: at)
            f.ikePolicy = p
        }
        if keys.contains("ipsecpolicy") {
            var p = IPsecPolicy()
            if line % 3 == 0 { p.pfs = Located(.group16, at: at) }
            p.lifetimeSeconds = Located(line, at: at)
            f.ipsecPolicy = p
        }
        if keys.contains("ha_role") { f.haRole = Located(text == "own" ? .master : .slave, at: at) }
        if keys.contains("tags") {
            f.tags = Located([Tag(key: Located(text, at: at), value: Located("v", at: at))], at: at)
        }
        if line % 5 == 0 { f.unreadable = [text + "-unreadable"] }
        return f
    }

    @Test("merging is every key's merge applied, for every key defaults may set")
    func mergeIsTheTableApplied() {
        let keys = AttributeTable.defaultsKeys
        #expect(Set(keys) == Set(Self.merges.keys))
        var random = SplitMix64(seed: 15)
        var subsets: [Set<String>] = [[], Set(keys)]
        for _ in 0..<200 { subsets.append(Set(keys.filter { _ in random.next() % 2 == 0 })) }
        var compared = 0
        for (i, ownKeys) in subsets.enumerated() {
            for baseKeys in [subsets[(i * 7 + 3) % subsets.count], Set(keys), []] {
                let own = Self.fields("own", keys: ownKeys, line: i + 1)
                let base = Self.fields("base", keys: baseKeys, line: i + 2)
                var expected = own
                for key in keys { Self.merges[key]!(&expected, base) }
                if !base.unreadable.isEmpty { expected.unreadable.formUnion(base.unreadable) }
                #expect(own.merged(over: base) == expected, "own \(ownKeys.sorted()) over \(baseKeys.sorted())")
                compared += 1
            }
        }
        #expect(compared == 606)
    }
}

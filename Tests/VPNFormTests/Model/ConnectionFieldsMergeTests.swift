@testable import VPNForm
import VPNValues
import Testing

/// ``ConnectionFields/merge(over:)``, written out, against the per-key table ``ConnectionFields/merges``
/// it replaced on the decoding path (the table is what a test holds to the keys `defaults` may set).
@Suite struct ConnectionFieldsMergeTests {
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

    @Test func mergeIsTheTableApplied() {
        let keys = AttributeTable.defaultsKeys
        #expect(Set(keys) == Set(ConnectionFields.merges.keys))
        var random = SplitMix64(seed: 15)
        var subsets: [Set<String>] = [[], Set(keys)]
        for _ in 0..<200 { subsets.append(Set(keys.filter { _ in random.next() % 2 == 0 })) }
        var compared = 0
        for (i, ownKeys) in subsets.enumerated() {
            for baseKeys in [subsets[(i * 7 + 3) % subsets.count], Set(keys), []] {
                let own = Self.fields("own", keys: ownKeys, line: i + 1)
                let base = Self.fields("base", keys: baseKeys, line: i + 2)
                var expected = own
                for key in keys { ConnectionFields.merges[key]!(&expected, base) }
                if !base.unreadable.isEmpty { expected.unreadable.formUnion(base.unreadable) }
                #expect(own.merged(over: base) == expected, "own \(ownKeys.sorted()) over \(baseKeys.sorted())")
                compared += 1
            }
        }
        #expect(compared == 606)
    }
}

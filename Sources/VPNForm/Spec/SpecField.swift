/// What a pair's spec is written from: the gateway, the connection's effective fields and tunnels,
/// and its API names. A class, so that each writer is handed one reference (a struct this size went
/// through the writers' reabstraction thunks as a copy, a retain per field, a thousand
/// instructions per attribute).
final class SpecSource {
    let gateway: Gateway
    let fields: ConnectionFields
    let tunnels: [Tunnel]
    let names: [Located<String>]

    init(gateway: Gateway, fields: ConnectionFields, tunnels: [Tunnel], names: [Located<String>]) {
        self.gateway = gateway
        self.fields = fields
        self.tunnels = tunnels
        self.names = names
    }

    /// The tunnel entry of gateway IP `i`, if the connection has one.
    func tunnel(_ i: Int) -> Tunnel? { i < tunnels.count ? tunnels[i] : nil }
}

/// How ``PairSpec`` writes each attribute of ``AttributeTable``: one writer per spec key, given the
/// key to write under and, for a per-IP attribute, the gateway IP's index. Attributes inside a
/// policy (`ikepolicy.authentication_method`) are written with the policy.
enum SpecField {
    typealias Writer = @Sendable (inout CanonicalObject, SpecKey, SpecSource, Int) -> Void

    /// One writer per top-level spec key of the table; a test holds the two to each other.
    static let byKey: [String: Writer] = [
        "cgw_id": { o, k, s, _ in if let v = s.fields.cgwID { o.string(k, v.value.rawValue) } },
        "ha_role": { o, k, s, i in
            if let v = s.tunnel(i)?.haRole ?? s.fields.haRole { o.string(k, v.value.rawValue) }
        },
        "name": { o, k, s, i in o.string(k, s.names[i].value) },
        "tunnel_local_address": { o, k, s, i in
            if let v = s.tunnel(i)?.tunnelLocalAddress ?? s.fields.tunnelLocalAddress { o.string(k, v.value) }
        },
        "tunnel_peer_address": { o, k, s, i in
            if let v = s.tunnel(i)?.tunnelPeerAddress ?? s.fields.tunnelPeerAddress { o.string(k, v.value) }
        },
        "vgw_ip": { o, k, s, i in o.string(k, s.gateway.ips.value[i].value) },
        "enable_hub": { o, k, s, _ in if let v = s.fields.enableHub { o.bool(k, v.value) } },
        "enable_nqa": { o, k, s, _ in if let v = s.fields.enableNQA { o.bool(k, v.value) } },
        "gateway_id": { o, k, s, _ in o.string(k, s.gateway.id.value.rawValue) },
        "ikepolicy": { o, _, s, _ in if let p = s.fields.ikePolicyBox { PairSpec.add(p.value, to: &o) } },
        "ipsecpolicy": { o, _, s, _ in if let p = s.fields.ipsecPolicyBox { PairSpec.add(p.value, to: &o) } },
        "peer_subnets": { o, k, s, _ in
            guard let v = s.fields.peerSubnets else { return }
            o.key(k)
            o.stringArray(v.value.lazy.map(\.value))
        },
        "policy_rules": { o, k, s, _ in
            guard let rules = s.fields.policyRules else { return }
            o.key(k)
            o.append(UInt8(ascii: "["))
            for (i, r) in rules.value.enumerated() {
                o.append(i == 0 ? "{\"destination\":" : ",{\"destination\":")
                o.stringArray((r.destination?.value ?? []).lazy.map(\.value))
                o.append(",\"source\":")
                o.string(r.source?.value ?? "")
                o.append(UInt8(ascii: "}"))
            }
            o.append(UInt8(ascii: "]"))
        },
        "psk": { o, k, s, _ in
            switch s.fields.psk?.value {
            case .environment(let name)?: o.string(k, "${\(name)}")
            case .literal?: o.string(k, "(literal)")
            case nil: break
            }
        },
        "style": { o, k, s, _ in o.string(k, s.fields.effectiveStyle.rawValue) },
        "tags": { o, k, s, _ in
            guard let tags = s.fields.tags else { return }
            o.key(k)
            // Usually written in order, each key once and in ASCII (so no two are equal as Strings
            // with different bytes): then as they are.
            if zip(tags.value, tags.value.dropFirst()).allSatisfy({ Self.asciiPrecedes($0.key.value, $1.key.value) }) {
                o.object(tags.value.lazy.map { ($0.key.value, $0.value.value) })
                return
            }
            // A later duplicate wins, as in a mapping (which keeps the first spelling of an equal key).
            // A pair has a handful of tags: a list searched in place is cheaper than a dictionary.
            var members: [(key: String, value: String)] = []
            members.reserveCapacity(tags.value.count)
            for t in tags.value {
                if let i = members.firstIndex(where: { $0.key == t.key.value }) {
                    members[i].value = t.value.value
                } else {
                    members.append((t.key.value, t.value.value))
                }
            }
            members.sort { $0.key.precedesByBytes($1.key) }
            o.object(members)
        },
    ]

    /// Whether `a` and `b` are ASCII and `a` sorts before `b`.
    private static func asciiPrecedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in isASCII(x) && isASCII(y) } } && a.precedesByBytes(b)
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// A step of the writer: one pair-level attribute, or all per-IP attributes of every gateway IP.
    enum Step {
        case attribute(SpecKey, Writer)
        case perIP
    }

    /// The table's top-level attributes (not inside a policy), split into pair-level and per-IP.
    private static let topLevel = (AttributeTable.derived + AttributeTable.connection)
        .filter { !$0.specKey.contains(".") }

    /// The pair-level steps in canonical (UTF-8) key order, the per-IP block at `connections[`'s place.
    static let steps: [Step] = {
        var keyed = topLevel.filter { !$0.perIP }
            .map { ($0.specKey, Step.attribute(SpecKey($0.specKey), byKey[$0.specKey]!)) }
        keyed.append(("connections[", .perIP))
        return keyed.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map(\.1)
    }()

    /// The per-IP attributes' spec keys and writers, in canonical order.
    static let perIP: [(key: String, write: Writer)] = topLevel.filter(\.perIP).map(\.specKey)
        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { ($0, byKey[$0]!) }

    /// The full per-IP keys of the first two gateway IPs (the usual pair), built once.
    static let perIPKeys: [[SpecKey]] = (0..<2).map { keys(ofIP: $0).map(SpecKey.init) }

    /// The full per-IP keys of gateway IP `i`, in canonical order.
    static func keys(ofIP i: Int) -> [String] { perIP.map { "connections[\(i)]." + $0.key } }
}

/// How ``PairSpec`` writes each top-level attribute of ``AttributeTable``: one case per spec key
/// (its raw value), written by one switch straight from the borrowed gateway and connection, in
/// the canonical key order resolved once from the table (``steps``). No closure is called and no
/// part of the model is copied: a closure per attribute, handed the model, cost a retain per field
/// and most of the planner's instructions. Attributes inside a policy
/// (`ikepolicy.authentication_method`) are written with the policy.
enum SpecField: String, CaseIterable, Sendable {
    case cgwID = "cgw_id"
    case enableHub = "enable_hub"
    case enableNQA = "enable_nqa"
    case gatewayID = "gateway_id"
    case haRole = "ha_role"
    case ikePolicy = "ikepolicy"
    case ipsecPolicy = "ipsecpolicy"
    case name
    case peerSubnets = "peer_subnets"
    case policyRules = "policy_rules"
    case psk
    case style
    case tags
    case tunnelLocalAddress = "tunnel_local_address"
    case tunnelPeerAddress = "tunnel_peer_address"
    case vgwIP = "vgw_ip"

    /// Writes the attribute of `connection` on `gateway`, if set: under its key, or for a per-IP
    /// attribute (`ip` given) under `connections[ip].` and its key.
    func write(gateway g: Gateway, connection c: Connection, ip: Int?, into o: inout CanonicalObject) {
        let i = ip ?? 0
        switch self {
        case .cgwID:
            if let v = c.spec.cgwID { member(ip, &o, v.value.rawValue) }
        case .enableHub:
            if let v = c.spec.enableHub { member(ip, &o, v.value) }
        case .enableNQA:
            if let v = c.spec.enableNQA { member(ip, &o, v.value) }
        case .gatewayID:
            member(ip, &o, g.id.value.rawValue)
        case .haRole:
            if let v = Self.tunnel(c, i)?.haRole ?? c.spec.haRole { member(ip, &o, v.value.rawValue) }
        case .ikePolicy:
            if let p = c.spec.ikePolicyBox { PairSpec.add(p, to: &o) }
        case .ipsecPolicy:
            if let p = c.spec.ipsecPolicyBox { PairSpec.add(p, to: &o) }
        case .name:
            if let name = Self.tunnel(c, i)?.name {
                member(ip, &o, name.value)
                return
            }
            // Gateway.apiNames(of:)'s `GATEWAY-CONNECTION-N`, written in place rather than built as a
            // String (a test holds the two to each other).
            o.key(rawValue, ofIP: ip)
            o.append("\"")
            o.stringBody(g.name.value)
            o.append("-")
            o.stringBody(c.name.value)
            o.append("-")
            o.int(i + 1)
            o.append("\"")
        case .peerSubnets:
            guard let v = c.spec.peerSubnets else { return }
            o.key(rawValue, ofIP: ip)
            o.stringArray(v.value.lazy.map(\.value))
        case .policyRules:
            guard let rules = c.spec.policyRules else { return }
            o.key(rawValue, ofIP: ip)
            Self.write(rules.value, into: &o)
        case .psk:
            switch c.spec.psk?.value {
            case .environment(let name)?:
                o.key(rawValue, ofIP: ip)
                o.append("\"${")
                o.stringBody(name)
                o.append("}\"")
            case .literal?: member(ip, &o, "(literal)")
            case nil: break
            }
        case .style:
            member(ip, &o, c.spec.effectiveStyle.rawValue)
        case .tags:
            guard let tags = c.spec.tags else { return }
            o.key(rawValue, ofIP: ip)
            Self.write(tags.value, into: &o)
        case .tunnelLocalAddress:
            if let v = Self.tunnel(c, i)?.tunnelLocalAddress ?? c.spec.tunnelLocalAddress { member(ip, &o, v.value) }
        case .tunnelPeerAddress:
            if let v = Self.tunnel(c, i)?.tunnelPeerAddress ?? c.spec.tunnelPeerAddress { member(ip, &o, v.value) }
        case .vgwIP:
            member(ip, &o, g.ips.value[i].value)
        }
    }

    private func member(_ ip: Int?, _ o: inout CanonicalObject, _ value: String) {
        o.key(rawValue, ofIP: ip)
        o.string(value)
    }

    private func member(_ ip: Int?, _ o: inout CanonicalObject, _ value: Bool) {
        o.key(rawValue, ofIP: ip)
        o.append(value ? "true" : "false")
    }

    /// The tunnel entry of gateway IP `i`, if the connection has one.
    private static func tunnel(_ c: Connection, _ i: Int) -> Tunnel? {
        guard let tunnels = c.tunnels, i < tunnels.value.count else { return nil }
        return tunnels.value[i]
    }

    /// `[{"destination":[…],"source":"…"},…]`.
    private static func write(_ rules: [PolicyRule], into o: inout CanonicalObject) {
        o.append(UInt8(ascii: "["))
        for (i, r) in rules.enumerated() {
            o.append(i == 0 ? "{\"destination\":" : ",{\"destination\":")
            o.stringArray((r.destination?.value ?? []).lazy.map(\.value))
            o.append(",\"source\":")
            o.string(r.source?.value ?? "")
            o.append(UInt8(ascii: "}"))
        }
        o.append(UInt8(ascii: "]"))
    }

    /// `{"key":"value",…}`, keys sorted by bytes.
    private static func write(_ tags: [Tag], into o: inout CanonicalObject) {
        // Usually written in order, each key once and in ASCII (so no two are equal as Strings
        // with different bytes): then as they are.
        if zip(tags, tags.dropFirst()).allSatisfy({ asciiPrecedes($0.key.value, $1.key.value) }) {
            o.append(UInt8(ascii: "{"))
            for (n, t) in tags.enumerated() {
                if n > 0 { o.append(UInt8(ascii: ",")) }
                o.string(t.key.value)
                o.append(UInt8(ascii: ":"))
                o.string(t.value.value)
            }
            o.append(UInt8(ascii: "}"))
            return
        }
        // A later duplicate wins, as in a mapping (which keeps the first spelling of an equal key).
        // A pair has a handful of tags: a list searched in place is cheaper than a dictionary.
        var members: [(key: String, value: String)] = []
        members.reserveCapacity(tags.count)
        for t in tags {
            if let i = members.firstIndex(where: { $0.key == t.key.value }) {
                members[i].value = t.value.value
            } else {
                members.append((t.key.value, t.value.value))
            }
        }
        members.sort { $0.key.precedesByBytes($1.key) }
        o.object(members)
    }

    /// Whether `a` and `b` are ASCII and `a` sorts before `b`.
    private static func asciiPrecedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in isASCII(x) && isASCII(y) } } && a.precedesByBytes(b)
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    // MARK: Order, from the table

    /// A step of the writer: one pair-level attribute, or all per-IP attributes of every gateway IP.
    enum Step: Sendable {
        case attribute(SpecField)
        case perIP
    }

    /// The table's top-level attributes (not inside a policy), split into pair-level and per-IP.
    private static let topLevel = (AttributeTable.derived + AttributeTable.connection)
        .filter { !$0.specKey.contains(".") }

    /// The field of a top-level spec key of the table; a test holds the cases to the table.
    private static func field(_ specKey: String) -> SpecField {
        guard let field = SpecField(rawValue: specKey) else { preconditionFailure("no spec field for \(specKey)") }
        return field
    }

    /// The pair-level steps in canonical (UTF-8) key order, the per-IP block at `connections[`'s place.
    static let steps: [Step] = {
        var keyed = topLevel.filter { !$0.perIP }.map { ($0.specKey, Step.attribute(field($0.specKey))) }
        keyed.append(("connections[", .perIP))
        return keyed.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map(\.1)
    }()

    /// The per-IP attributes, in canonical order.
    static let perIP: [SpecField] = topLevel.filter(\.perIP).map(\.specKey)
        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(field)

    /// The full per-IP keys of gateway IP `i`, in canonical order.
    static func keys(ofIP i: Int) -> [String] { perIP.map { "connections[\(i)]." + $0.rawValue } }
}

/// How ``PairSpec`` writes each top-level attribute of ``AttributeTable``: one case per spec key
/// (its raw value), written by one switch straight from the borrowed gateway and connection, in
/// the canonical key order and under the written keys resolved once from the table (``layout``).
/// No closure is called and no part of the model is copied: a closure per attribute, handed the
/// model, cost a retain per field and most of the planner's instructions. Attributes inside a
/// policy (`ikepolicy.authentication_method`) are written with the policy.
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

    /// Writes the attribute of `connection` on `gateway`, if set, under `key` as written
    /// (``CanonicalObject/written(key:)``: its own, or for gateway IP `i`'s `connections[i].` and its own).
    func write(gateway g: Gateway, connection c: Connection, ip i: Int, key: UnsafeBufferPointer<UInt8>,
               into o: inout CanonicalObject) {
        switch self {
        case .cgwID:
            if let v = c.spec.cgwID { member(key, &o, v.value.rawValue) }
        case .enableHub:
            if let v = c.spec.enableHub { member(key, &o, v.value) }
        case .enableNQA:
            if let v = c.spec.enableNQA { member(key, &o, v.value) }
        case .gatewayID:
            member(key, &o, g.id.value.rawValue)
        case .haRole:
            if let v = Self.tunnel(c, i)?.haRole ?? c.spec.haRole { member(key, &o, v.value) }
        case .ikePolicy:
            if let p = c.spec.ikePolicyBox { PairSpec.add(p, to: &o) }
        case .ipsecPolicy:
            if let p = c.spec.ipsecPolicyBox { PairSpec.add(p, to: &o) }
        case .name:
            if let name = Self.tunnel(c, i)?.name {
                member(key, &o, name.value)
                return
            }
            // Gateway.apiNames(of:)'s `GATEWAY-CONNECTION-N`, written in place rather than built as a
            // String (a test holds the two to each other).
            o.key(written: key)
            o.append("\"")
            o.stringBody(g.name.value)
            o.append("-")
            o.stringBody(c.name.value)
            o.append("-")
            o.int(i + 1)
            o.append("\"")
        case .peerSubnets:
            guard let v = c.spec.peerSubnets else { return }
            o.key(written: key)
            o.stringArray(v.value)
        case .policyRules:
            guard let rules = c.spec.policyRules else { return }
            o.key(written: key)
            Self.write(rules.value, into: &o)
        case .psk:
            switch c.spec.psk?.value {
            case .environment(let name)?:
                o.key(written: key)
                o.append("\"${")
                o.stringBody(name)
                o.append("}\"")
            case .literal?: member(key, &o, "(literal)")
            case nil: break
            }
        case .style:
            member(key, &o, c.spec.effectiveStyle)
        case .tags:
            guard let tags = c.spec.tags else { return }
            o.key(written: key)
            Self.write(tags.value, into: &o)
        case .tunnelLocalAddress:
            if let v = Self.tunnel(c, i)?.tunnelLocalAddress ?? c.spec.tunnelLocalAddress { member(key, &o, v.value) }
        case .tunnelPeerAddress:
            if let v = Self.tunnel(c, i)?.tunnelPeerAddress ?? c.spec.tunnelPeerAddress { member(key, &o, v.value) }
        case .vgwIP:
            member(key, &o, g.ips.value[i].value)
        }
    }

    private func member(_ key: UnsafeBufferPointer<UInt8>, _ o: inout CanonicalObject, _ value: String) {
        o.key(written: key)
        o.string(value)
    }

    private func member(_ key: UnsafeBufferPointer<UInt8>, _ o: inout CanonicalObject, _ value: some FieldEnum) {
        o.key(written: key)
        o.string(value)
    }

    private func member(_ key: UnsafeBufferPointer<UInt8>, _ o: inout CanonicalObject, _ value: Bool) {
        o.key(written: key)
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
            o.stringArray(r.destination?.value ?? [])
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
        if tags.indices.dropFirst().allSatisfy({ asciiPrecedes(tags[$0 - 1].key.value, tags[$0].key.value) }) {
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

    // MARK: Order and keys, from the table

    /// A step of the writer: one pair-level attribute and where its written key lies in
    /// ``Layout/keys``, or all per-IP attributes of every gateway IP.
    enum Step: Sendable {
        case attribute(SpecField, key: Range<Int>)
        case perIP
    }

    /// What the writer follows, resolved once from the table: the steps in canonical order, and
    /// every key as written before a value (``CanonicalObject/written(key:)``), escaped once.
    struct Layout: Sendable {
        /// The pair-level steps in canonical (UTF-8) key order, the per-IP block at `connections[`'s place.
        let steps: [Step]
        /// The per-IP attributes, in canonical order.
        let perIP: [SpecField]
        /// The written keys, one after another.
        let keys: [UInt8]
        /// Where the keys of the first ``ipsWithKeys`` gateway IPs lie in ``keys``: IP by IP, in
        /// ``perIP``'s order. (A gateway has one or two IPs; the keys of any further one are built
        /// when written.)
        let perIPKeys: [Range<Int>]
        static let ipsWithKeys = 2

        init(_ table: [ConnectionAttribute]) {
            var keys: [UInt8] = []
            func add(_ key: String) -> Range<Int> {
                let start = keys.count
                keys += CanonicalObject.written(key: key)
                return start..<keys.count
            }
            // The table's top-level attributes (not inside a policy), split into pair-level and per-IP.
            let topLevel = table.filter { !$0.specKey.contains(".") }
            var keyed = topLevel.filter { !$0.perIP }
                .map { ($0.specKey, Step.attribute(SpecField.field($0.specKey), key: add($0.specKey))) }
            keyed.append(("connections[", .perIP))
            steps = keyed.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map(\.1)
            perIP = topLevel.filter(\.perIP).map(\.specKey)
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(SpecField.field)
            let perIP = perIP
            perIPKeys = (0..<Self.ipsWithKeys).flatMap { i in perIP.map { add($0.key(ofIP: i)) } }
            self.keys = keys
        }
    }

    /// The layout of ``AttributeTable``'s attributes.
    static let layout = Layout(AttributeTable.derived + AttributeTable.connection)

    /// The field of a top-level spec key of the table; a test holds the cases to the table.
    private static func field(_ specKey: String) -> SpecField {
        guard let field = SpecField(rawValue: specKey) else { preconditionFailure("no spec field for \(specKey)") }
        return field
    }

    /// The per-IP attribute's full key for gateway IP `i`: `connections[i].` and its own.
    func key(ofIP i: Int) -> String { "connections[\(i)]." + rawValue }

    /// The full per-IP keys of gateway IP `i`, in canonical order.
    static func keys(ofIP i: Int) -> [String] { layout.perIP.map { $0.key(ofIP: i) } }
}

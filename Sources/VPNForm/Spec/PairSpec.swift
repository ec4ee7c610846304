import VPNCrypto

/// The canonical, non-secret description of a pair: every attribute vpnform sends for it, flattened
/// to `ikepolicy.dpd.timeout`-style names, with per-IP values under `connections[i].…`. Pre-shared
/// keys appear only as their reference (`${NAME}`, or `(literal)`), never as a value.
///
/// State files keep it, so a plan can name each attribute that changed; its ``digest`` tells
/// whether anything did.
public struct PairSpec: Sendable, Equatable {
    /// Attribute name → value. Unset optional fields are absent (the server's defaults apply).
    public var attributes: [String: JSONValue]

    /// Creates a spec from attributes.
    public init(attributes: [String: JSONValue]) { self.attributes = attributes }

    /// The spec of `connection` on `gateway`, from the connection's effective fields.
    public init(gateway: Gateway, connection: Connection) {
        var a: [String: JSONValue] = [:]
        let s = connection.spec
        a["gateway_id"] = .string(gateway.id.value.rawValue)
        if let v = s.cgwID { a["cgw_id"] = .string(v.value.rawValue) }
        a["style"] = .string(s.effectiveStyle.rawValue)
        if let v = s.peerSubnets { a["peer_subnets"] = .array(v.value.map { .string($0.value) }) }
        if let v = s.enableNQA { a["enable_nqa"] = .bool(v.value) }
        if let v = s.enableHub { a["enable_hub"] = .bool(v.value) }
        if let v = s.psk {
            switch v.value {
            case .environment(let name): a["psk"] = .string("${\(name)}")
            case .literal: a["psk"] = .string("(literal)")
            }
        }
        if let rules = s.policyRules {
            a["policy_rules"] = .array(rules.value.map { r in
                .object(["source": .string(r.source?.value ?? ""),
                         "destination": .array((r.destination?.value ?? []).map { .string($0.value) })])
            })
        }
        if let tags = s.tags {
            a["tags"] = .object(Dictionary(tags.value.map { ($0.key.value, JSONValue.string($0.value.value)) }, uniquingKeysWith: { $1 }))
        }
        if let ike = s.ikePolicy { Self.add(ike, to: &a) }
        if let ipsec = s.ipsecPolicy { Self.add(ipsec, to: &a) }
        let names = gateway.apiNames(of: connection)
        let tunnels = connection.tunnels?.value ?? []
        for (i, ip) in gateway.ips.value.enumerated() {
            let t = i < tunnels.count ? tunnels[i] : nil
            let p = "connections[\(i)]."
            a[p + "name"] = .string(names[i].value)
            a[p + "vgw_ip"] = .string(ip.value)
            if let v = t?.tunnelLocalAddress ?? s.tunnelLocalAddress { a[p + "tunnel_local_address"] = .string(v.value) }
            if let v = t?.tunnelPeerAddress ?? s.tunnelPeerAddress { a[p + "tunnel_peer_address"] = .string(v.value) }
            if let v = t?.haRole ?? s.haRole { a[p + "ha_role"] = .string(v.value.rawValue) }
        }
        attributes = a
    }

    private static func add(_ p: IKEPolicy, to a: inout [String: JSONValue]) {
        func set(_ key: String, _ value: JSONValue?) { if let value { a["ikepolicy." + key] = value } }
        set("ike_version", p.ikeVersion.map { .string($0.value.rawValue) })
        set("phase1_negotiation_mode", p.phase1NegotiationMode.map { .string($0.value.rawValue) })
        set("authentication_algorithm", p.authenticationAlgorithm.map { .string($0.value.rawValue) })
        set("encryption_algorithm", p.encryptionAlgorithm.map { .string($0.value.rawValue) })
        set("dh_group", p.dhGroup.map { .string($0.value.rawValue) })
        set("authentication_method", p.authenticationMethod.map { .string($0.value.rawValue) })
        set("lifetime_seconds", p.lifetimeSeconds.map { .int($0.value) })
        set("local_id_type", p.localIDType.map { .string($0.value.rawValue) })
        set("local_id", p.localID.map { .string($0.value) })
        set("peer_id_type", p.peerIDType.map { .string($0.value.rawValue) })
        set("peer_id", p.peerID.map { .string($0.value) })
        set("dpd.timeout", p.dpd?.timeout.map { .int($0.value) })
        set("dpd.interval", p.dpd?.interval.map { .int($0.value) })
        set("dpd.msg", p.dpd?.msg.map { .string($0.value.rawValue) })
    }

    private static func add(_ p: IPsecPolicy, to a: inout [String: JSONValue]) {
        func set(_ key: String, _ value: JSONValue?) { if let value { a["ipsecpolicy." + key] = value } }
        set("authentication_algorithm", p.authenticationAlgorithm.map { .string($0.value.rawValue) })
        set("encryption_algorithm", p.encryptionAlgorithm.map { .string($0.value.rawValue) })
        set("pfs", p.pfs.map { .string($0.value.rawValue) })
        set("transform_protocol", p.transformProtocol.map { .string($0.value.rawValue) })
        set("lifetime_seconds", p.lifetimeSeconds.map { .int($0.value) })
        set("encapsulation_mode", p.encapsulationMode.map { .string($0.value.rawValue) })
    }

    /// `sha256:` and the hex SHA-256 of the spec's canonical JSON.
    public var digest: SpecDigest {
        SpecDigest(rawValue: "sha256:" + SHA256.hex(JSONValue.object(attributes).canonical))
    }

    /// The names of attributes whose values differ between `self` (old) and `new`, sorted.
    public func changes(to new: PairSpec) -> [AttributeChange] {
        let keys = Set(attributes.keys).union(new.attributes.keys)
        return keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { key in
            let old = attributes[key], value = new.attributes[key]
            return old == value ? nil : AttributeChange(attribute: key, old: old, new: value)
        }
    }
}

/// One attribute that differs between the state and the desired file.
public struct AttributeChange: Sendable, Equatable {
    /// The flattened attribute name, e.g. `ikepolicy.dh_group`.
    public var attribute: String
    /// The value in the state; `nil` when the attribute was unset.
    public var old: JSONValue?
    /// The desired value; `nil` when the attribute is now unset.
    public var new: JSONValue?

    public init(attribute: String, old: JSONValue?, new: JSONValue?) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }
}

/// `sha256:<hex>`, the digest of a pair's canonical spec.
public struct SpecDigest: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

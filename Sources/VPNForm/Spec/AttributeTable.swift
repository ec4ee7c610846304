/// One connection attribute: how the desired file, the spec and the API spell it, whether
/// `defaults` may set it, and how a change of it reaches the API.
public struct ConnectionAttribute: Sendable, Equatable {
    /// The key in the desired file (a connection's, and `defaults`' when ``inDefaults``).
    public let yamlKey: String
    /// The spec attribute (or the prefix of its flattened keys, `ikepolicy` for `ikepolicy.dh_group`).
    /// Per-IP attributes are `connections[i].` followed by it.
    public let specKey: String
    /// The field of `CreateVpnConnectionRequestBodyContent`.
    public let apiField: String
    /// How a change reaches the API: `PUT`, the tag API, or a replacement.
    public let change: ChangeMethod
    /// Whether `defaults` may set it.
    public let inDefaults: Bool
    /// Whether a connection's `tunnels[i]` may set it for one gateway IP.
    public let perTunnel: Bool
    /// Whether the spec holds it per gateway IP, as `connections[i].` followed by ``specKey``.
    public let perIP: Bool

    init(_ yamlKey: String, spec: String? = nil, api: String? = nil, _ change: ChangeMethod,
         inDefaults: Bool = true, perTunnel: Bool = false, perIP: Bool? = nil) {
        self.yamlKey = yamlKey
        self.specKey = spec ?? yamlKey
        self.apiField = api ?? yamlKey
        self.change = change
        self.inDefaults = inDefaults
        self.perTunnel = perTunnel
        self.perIP = perIP ?? perTunnel
    }
}

/// The connection attributes, in the desired file's order: the one place that says how each is
/// spelt and changed (`huawei-vpn-api.md` §2). Read by the decoder's allowed keys (connection,
/// tunnel, `defaults`), ``PairSpec``'s writer (`SpecField`), the request mapping (`RequestField`:
/// batch-create item and update body), the schema generator (`Tests/Schema/attributes.json`) and
/// the planner's update-or-replace decision. `AttributeTableTests` fails until a new attribute has
/// its spec writer, request mapping, schema description and emulator answer, and
/// `ConnectionFieldsMergeTests` until `ConnectionFields.merge(over:)` merges it.
public enum AttributeTable {
    /// Every connection attribute `defaults` or a connection may set (besides `name` and `tunnels`).
    public static let connection: [ConnectionAttribute] = [
        ConnectionAttribute("cgw_id", .inPlace),
        ConnectionAttribute("style", .replacement),
        ConnectionAttribute("peer_subnets", .inPlace),
        ConnectionAttribute("tunnel_local_address", .inPlace, perTunnel: true),
        ConnectionAttribute("tunnel_peer_address", .inPlace, perTunnel: true),
        ConnectionAttribute("enable_nqa", .replacement),
        ConnectionAttribute("enable_hub", .inPlace),
        ConnectionAttribute("psk", .inPlace),
        ConnectionAttribute("policy_rules", .inPlace),
        ConnectionAttribute("ikepolicy", .inPlace),
        ConnectionAttribute("ipsecpolicy", .inPlace),
        ConnectionAttribute("ha_role", .replacement, perTunnel: true),
        ConnectionAttribute("tags", .tagAPI),
    ]

    /// Attributes that come from the gateway, or from inside a policy, with a method of their own.
    public static let derived: [ConnectionAttribute] = [
        ConnectionAttribute("name", .inPlace, inDefaults: false, perIP: true),
        ConnectionAttribute("id", spec: "gateway_id", api: "vgw_id", .replacement, inDefaults: false),
        ConnectionAttribute("ips", spec: "vgw_ip", api: "vgw_ip", .replacement, inDefaults: false, perIP: true),
        ConnectionAttribute("authentication_method", spec: "ikepolicy.authentication_method",
                            api: "ikepolicy.authentication_method", .replacement, inDefaults: false),
    ]

    /// The YAML keys `defaults` may set, in order.
    public static var defaultsKeys: [String] { connection.filter(\.inDefaults).map(\.yamlKey) }

    /// The YAML keys a connection may set, in order: `name`, every attribute, then the keys that
    /// are not attributes of the API connection (`tunnels`, `prevent_destroy`).
    public static var connectionKeys: [String] {
        ["name"] + connection.map(\.yamlKey) + ["tunnels", "prevent_destroy"]
    }

    /// The YAML keys an entry of a connection's `tunnels` may set, in order: `name` and the per-IP attributes.
    public static var tunnelKeys: [String] { ["name"] + connection.filter(\.perTunnel).map(\.yamlKey) }

    /// The descriptor of a flattened spec attribute (`connections[1].ha_role`, `ikepolicy.dpd.timeout`).
    public static func attribute(forSpecKey key: String) -> ConnectionAttribute? {
        var field = Substring(key)
        if key.hasPrefix("connections["), let close = key.firstIndex(of: "]") {
            field = key[key.index(close, offsetBy: 2)...]
        }
        if let exact = byKey[String(field)] { return exact }
        guard let dot = field.firstIndex(of: ".") else { return nil }
        return byKey[String(field[..<dot])]
    }

    private static let byKey: [String: ConnectionAttribute] = {
        var d: [String: ConnectionAttribute] = [:]
        for a in connection + derived { d[a.specKey] = a }
        return d
    }()
}

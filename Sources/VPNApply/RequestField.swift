import VPNAPI
import VPNCrypto
import VPNForm

/// What one batch-create item is made from: the gateway, the connection's effective fields, the
/// tunnel entry and API name of one gateway IP, and the resolved pre-shared key.
struct RequestSource {
    let gateway: Gateway
    let fields: ConnectionFields
    let tunnel: Tunnel?
    let name: String
    let index: Int
    let psk: Secret
}

/// How one attribute of ``AttributeTable`` reaches the API models: written into a batch-create item
/// from the desired file, and, when the table says `PUT` changes it, copied from that item into an
/// update body. Attributes inside a policy (`ikepolicy.authentication_method`) travel with the policy.
struct RequestField: Sendable {
    /// Writes the attribute into a create item.
    let create: @Sendable (inout CreateVPNConnection, RequestSource) -> Void
    /// Copies it from a create item into an update body; `nil` for what `PUT` cannot change.
    let update: (@Sendable (inout UpdateVPNConnection, CreateVPNConnection) -> Void)?

    /// The mapping of a table attribute, by its API field; `nil` for one inside a policy.
    static func of(_ attribute: ConnectionAttribute) -> RequestField? { byAPIField[attribute.apiField] }

    /// One entry per top-level API field of the table; a test holds the two to each other.
    static let byAPIField: [String: RequestField] = [
        "name": RequestField(create: { $0.name = $1.name }, update: { $0.name = $1.name }),
        "vgw_id": RequestField(create: { $0.vgwID = $1.gateway.id.value.rawValue }, update: nil),
        "vgw_ip": RequestField(create: { $0.vgwIP = $1.gateway.ips.value[$1.index].value }, update: nil),
        "style": RequestField(create: { $0.style = $1.fields.effectiveStyle.rawValue }, update: nil),
        "cgw_id": RequestField(create: { $0.cgwID = $1.fields.cgwID?.value.rawValue ?? "" },
                               update: { $0.cgwID = $1.cgwID }),
        "peer_subnets": RequestField(create: { $0.peerSubnets = $1.fields.peerSubnets?.value.map(\.value) },
                                     update: { $0.peerSubnets = $1.peerSubnets }),
        "tunnel_local_address": RequestField(
            create: { $0.tunnelLocalAddress = ($1.tunnel?.tunnelLocalAddress ?? $1.fields.tunnelLocalAddress)?.value },
            update: { $0.tunnelLocalAddress = $1.tunnelLocalAddress }),
        "tunnel_peer_address": RequestField(
            create: { $0.tunnelPeerAddress = ($1.tunnel?.tunnelPeerAddress ?? $1.fields.tunnelPeerAddress)?.value },
            update: { $0.tunnelPeerAddress = $1.tunnelPeerAddress }),
        // The server rejects enable_nqa unless the style is static, and enable_hub unless it is bgp.
        "enable_nqa": RequestField(
            create: { $0.enableNQA = $1.fields.effectiveStyle == .static ? $1.fields.enableNQA?.value : nil },
            update: nil),
        "enable_hub": RequestField(
            create: { $0.enableHub = $1.fields.effectiveStyle == .bgp ? $1.fields.enableHub?.value : nil },
            update: { $0.enableHub = $1.enableHub }),
        "psk": RequestField(create: { $0.psk = $1.psk }, update: { $0.psk = $1.psk }),
        "policy_rules": RequestField(
            create: {
                $0.policyRules = $1.fields.policyRules?.value.map {
                    VPNAPI.PolicyRule(source: $0.source?.value, destination: $0.destination?.value.map(\.value))
                }
            },
            update: { $0.policyRules = $1.policyRules }),
        // authentication_method, which PUT cannot change, is left out of the update's policy.
        "ikepolicy": RequestField(create: { $0.ikepolicy = $1.fields.ikePolicy.map(BatchCreateRequest.ike) },
                                  update: { $0.ikepolicy = $1.ikepolicy; $0.ikepolicy?.authenticationMethod = nil }),
        "ipsecpolicy": RequestField(create: { $0.ipsecpolicy = $1.fields.ipsecPolicy.map(BatchCreateRequest.ipsec) },
                                    update: { $0.ipsecpolicy = $1.ipsecpolicy }),
        "ha_role": RequestField(create: { $0.haRole = ($1.tunnel?.haRole ?? $1.fields.haRole)?.value.rawValue },
                                update: nil),
        "tags": RequestField(
            create: { $0.tags = $1.fields.tags?.value.map { ResourceTag(key: $0.key.value, value: $0.value.value) } },
            update: nil),
    ]

    /// The table's attributes that have a mapping of their own, in the table's order.
    static let mapped: [RequestField] = (AttributeTable.derived + AttributeTable.connection).compactMap(of)

    /// The mappings of the attributes `PUT` changes, in the table's order.
    static let updates: [@Sendable (inout UpdateVPNConnection, CreateVPNConnection) -> Void] =
        (AttributeTable.derived + AttributeTable.connection)
            .filter { $0.change == .inPlace }.compactMap { of($0)?.update }
}

extension CreateVPNConnection {
    /// The create item of one gateway IP, every attribute written by its ``RequestField``.
    init(_ source: RequestSource) {
        self.init(vgwID: "", vgwIP: "", cgwID: "")
        for field in RequestField.mapped { field.create(&self, source) }
    }
}

extension UpdateVPNConnection {
    /// The updatable part of a create item: what a PUT sends for the same connection, copied
    /// attribute by attribute as the table says. The create mapping is the one mapping.
    /// - Parameter sendingKey: Whether the body carries the item's pre-shared key (only when it changes).
    init(_ item: CreateVPNConnection, sendingKey: Bool = false) {
        self.init()
        for update in RequestField.updates { update(&self, item) }
        if !sendingKey { psk = nil }
    }
}

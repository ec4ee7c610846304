import VPNCrypto

/// `UpdateVpnConnectionRequestBodyContent`: what `PUT /v5/{project_id}/vpn-connection/{id}` may
/// change. `style`, `vgw_id`, `vgw_ip`, `ha_role` and `ikepolicy.authentication_method` are not
/// updatable (a change of one means a new connection), and tags change through the tag API.
/// Unset fields are omitted and keep their value.
public struct UpdateVPNConnection: Codable, Sendable, Equatable {
    public var name: String?
    public var cgwID: String?
    public var peerSubnets: [String]?
    public var tunnelLocalAddress: String?
    public var tunnelPeerAddress: String?
    public var enableHub: Bool?
    /// The new pre-shared key, sent only when it changes. Encoded into request bodies only.
    public var psk: Secret?
    public var policyRules: [PolicyRule]?
    public var ikepolicy: IKEPolicy?
    public var ipsecpolicy: IPsecPolicy?

    public init(name: String? = nil, cgwID: String? = nil, peerSubnets: [String]? = nil,
                tunnelLocalAddress: String? = nil, tunnelPeerAddress: String? = nil, enableHub: Bool? = nil,
                psk: Secret? = nil, policyRules: [PolicyRule]? = nil, ikepolicy: IKEPolicy? = nil,
                ipsecpolicy: IPsecPolicy? = nil) {
        self.name = name
        self.cgwID = cgwID
        self.peerSubnets = peerSubnets
        self.tunnelLocalAddress = tunnelLocalAddress
        self.tunnelPeerAddress = tunnelPeerAddress
        self.enableHub = enableHub
        self.psk = psk
        self.policyRules = policyRules
        self.ikepolicy = ikepolicy
        self.ipsecpolicy = ipsecpolicy
    }

    /// The keys the API accepts in an update body.
    public static let updatableKeys: Set<String> = [
        "name", "cgw_id", "peer_subnets", "tunnel_local_address", "tunnel_peer_address", "enable_hub", "psk",
        "policy_rules", "ikepolicy", "ipsecpolicy", "peer_subnets_v6", "policy_rules_v6",
    ]

    enum CodingKeys: String, CodingKey {
        case name, psk, ikepolicy, ipsecpolicy
        case cgwID = "cgw_id", peerSubnets = "peer_subnets", enableHub = "enable_hub", policyRules = "policy_rules"
        case tunnelLocalAddress = "tunnel_local_address", tunnelPeerAddress = "tunnel_peer_address"
    }
}

/// `UpdateVpnConnectionRequestBody`.
public struct UpdateConnectionRequest: Codable, Sendable, Equatable {
    public var vpnConnection: UpdateVPNConnection
    public init(vpnConnection: UpdateVPNConnection) { self.vpnConnection = vpnConnection }
    enum CodingKeys: String, CodingKey { case vpnConnection = "vpn_connection" }
}

/// `UpdateVpnConnectionResponse`: the same shape as the show answer.
public typealias UpdateConnectionResponse = ShowConnectionResponse

/// The body of `POST …/vpn-connection/{id}/tags/create` and `…/tags/delete`.
public struct TagsRequest: Codable, Sendable, Equatable {
    public var tags: [ResourceTag]
    public init(tags: [ResourceTag]) { self.tags = tags }
}

/// `GET …/vpn-connection/{id}/tags`.
public struct ListTagsResponse: Codable, Sendable, Equatable {
    public var tags: [ResourceTag]
    public var requestID: String?
    public init(tags: [ResourceTag], requestID: String?) {
        self.tags = tags
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey { case tags, requestID = "request_id" }
}

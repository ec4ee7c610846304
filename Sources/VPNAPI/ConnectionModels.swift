import VPNCrypto

/// `CreateVpnConnectionRequestBodyContent`: one connection of a batch-create request.
/// Unset optional fields are omitted from the JSON, so the server applies its defaults.
public struct CreateVPNConnection: Codable, Sendable, Equatable {
    public var name: String?
    public var vgwID: String
    public var vgwIP: String
    /// `static`, `bgp` or `policy` (lower case in requests).
    public var style: String?
    public var cgwID: String
    public var peerSubnets: [String]?
    public var tunnelLocalAddress: String?
    public var tunnelPeerAddress: String?
    /// Only with style `static`: the server rejects the field otherwise, even when false.
    public var enableNQA: Bool?
    public var enableHub: Bool?
    /// The pre-shared key. Encoded into request bodies only; never described.
    public var psk: Secret?
    public var policyRules: [PolicyRule]?
    public var ikepolicy: IKEPolicy?
    public var ipsecpolicy: IPsecPolicy?
    public var haRole: String?
    public var tags: [ResourceTag]?

    public init(name: String? = nil, vgwID: String, vgwIP: String, style: String? = nil, cgwID: String,
                peerSubnets: [String]? = nil, tunnelLocalAddress: String? = nil, tunnelPeerAddress: String? = nil,
                enableNQA: Bool? = nil, enableHub: Bool? = nil, psk: Secret? = nil, policyRules: [PolicyRule]? = nil,
                ikepolicy: IKEPolicy? = nil, ipsecpolicy: IPsecPolicy? = nil, haRole: String? = nil, tags: [ResourceTag]? = nil) {
        self.name = name
        self.vgwID = vgwID
        self.vgwIP = vgwIP
        self.style = style
        self.cgwID = cgwID
        self.peerSubnets = peerSubnets
        self.tunnelLocalAddress = tunnelLocalAddress
        self.tunnelPeerAddress = tunnelPeerAddress
        self.enableNQA = enableNQA
        self.enableHub = enableHub
        self.psk = psk
        self.policyRules = policyRules
        self.ikepolicy = ikepolicy
        self.ipsecpolicy = ipsecpolicy
        self.haRole = haRole
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case name, style, psk, ikepolicy, ipsecpolicy, tags
        case vgwID = "vgw_id", vgwIP = "vgw_ip", cgwID = "cgw_id", peerSubnets = "peer_subnets"
        case tunnelLocalAddress = "tunnel_local_address", tunnelPeerAddress = "tunnel_peer_address"
        case enableNQA = "enable_nqa", enableHub = "enable_hub", policyRules = "policy_rules", haRole = "ha_role"
    }
}

/// `BatchCreateVpnConnectionRequestBody`: one or two connections of one gateway.
public struct BatchCreateRequest: Codable, Sendable, Equatable {
    public var vpnConnections: [CreateVPNConnection]
    public init(vpnConnections: [CreateVPNConnection]) { self.vpnConnections = vpnConnections }
    enum CodingKeys: String, CodingKey { case vpnConnections = "vpn_connections" }
}

/// A policy rule: local `source` CIDR to peer `destination` CIDRs.
public struct PolicyRule: Codable, Sendable, Equatable {
    public var ruleIndex: Int?
    public var source: String?
    public var destination: [String]?
    public init(ruleIndex: Int? = nil, source: String?, destination: [String]?) {
        self.ruleIndex = ruleIndex
        self.source = source
        self.destination = destination
    }
    enum CodingKeys: String, CodingKey { case source, destination, ruleIndex = "rule_index" }
}

/// `VpnResourceTag`.
public struct ResourceTag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// `IkePolicy`.
public struct IKEPolicy: Codable, Sendable, Equatable {
    public var ikeVersion: String?
    public var phase1NegotiationMode: String?
    public var authenticationAlgorithm: String?
    public var encryptionAlgorithm: String?
    public var dhGroup: String?
    public var authenticationMethod: String?
    public var lifetimeSeconds: Int?
    public var localIDType: String?
    public var localID: String?
    public var peerIDType: String?
    public var peerID: String?
    public var dpd: DPD?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case dpd
        case ikeVersion = "ike_version", phase1NegotiationMode = "phase1_negotiation_mode"
        case authenticationAlgorithm = "authentication_algorithm", encryptionAlgorithm = "encryption_algorithm"
        case dhGroup = "dh_group", authenticationMethod = "authentication_method", lifetimeSeconds = "lifetime_seconds"
        case localIDType = "local_id_type", localID = "local_id", peerIDType = "peer_id_type", peerID = "peer_id"
    }
}

/// `Dpd`.
public struct DPD: Codable, Sendable, Equatable {
    public var timeout: Int?
    public var interval: Int?
    public var msg: String?
    public init(timeout: Int? = nil, interval: Int? = nil, msg: String? = nil) {
        self.timeout = timeout
        self.interval = interval
        self.msg = msg
    }
}

/// `IpsecPolicy`.
public struct IPsecPolicy: Codable, Sendable, Equatable {
    public var authenticationAlgorithm: String?
    public var encryptionAlgorithm: String?
    public var pfs: String?
    public var transformProtocol: String?
    public var lifetimeSeconds: Int?
    public var encapsulationMode: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case pfs
        case authenticationAlgorithm = "authentication_algorithm", encryptionAlgorithm = "encryption_algorithm"
        case transformProtocol = "transform_protocol", lifetimeSeconds = "lifetime_seconds", encapsulationMode = "encapsulation_mode"
    }
}

/// A connection as the API returns it (`CreateResponseVpnConnection` / `ResponseVpnConnection`).
/// It never carries a pre-shared key.
public struct VPNConnection: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var status: String?
    public var vgwID: String?
    public var vgwIP: String?
    /// Upper case in responses: `STATIC`, `BGP`, `POLICY`.
    public var style: String?
    public var cgwID: String?
    public var peerSubnets: [String]?
    public var tunnelLocalAddress: String?
    public var tunnelPeerAddress: String?
    public var enableNQA: Bool?
    public var enableHub: Bool?
    public var policyRules: [PolicyRule]?
    public var ikepolicy: IKEPolicy?
    public var ipsecpolicy: IPsecPolicy?
    public var createdAt: String?
    public var updatedAt: String?
    public var enterpriseProjectID: String?
    public var haRole: String?
    public var tags: [ResourceTag]?

    public init(id: String) { self.id = id }

    enum CodingKeys: String, CodingKey {
        case id, name, status, style, ikepolicy, ipsecpolicy, tags
        case vgwID = "vgw_id", vgwIP = "vgw_ip", cgwID = "cgw_id", peerSubnets = "peer_subnets"
        case tunnelLocalAddress = "tunnel_local_address", tunnelPeerAddress = "tunnel_peer_address"
        case enableNQA = "enable_nqa", enableHub = "enable_hub", policyRules = "policy_rules"
        case createdAt = "created_at", updatedAt = "updated_at", enterpriseProjectID = "enterprise_project_id", haRole = "ha_role"
    }
}

/// `BatchCreateVpnConnectionResponse`.
public struct BatchCreateResponse: Codable, Sendable, Equatable {
    public var vpnConnections: [VPNConnection]
    public var requestID: String?
    public init(vpnConnections: [VPNConnection], requestID: String?) {
        self.vpnConnections = vpnConnections
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey { case vpnConnections = "vpn_connections", requestID = "request_id" }
}

/// `ListVpnConnectionsResponse`.
public struct ListConnectionsResponse: Codable, Sendable, Equatable {
    public var vpnConnections: [VPNConnection]
    public var pageInfo: PageInfo?
    public var totalCount: Int?
    public var requestID: String?
    public init(vpnConnections: [VPNConnection], pageInfo: PageInfo?, totalCount: Int?, requestID: String?) {
        self.vpnConnections = vpnConnections
        self.pageInfo = pageInfo
        self.totalCount = totalCount
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey {
        case vpnConnections = "vpn_connections", pageInfo = "page_info", totalCount = "total_count", requestID = "request_id"
    }
}

/// `PageInfo` of a list response.
public struct PageInfo: Codable, Sendable, Equatable {
    public var nextMarker: String?
    public var currentCount: Int
    public init(nextMarker: String?, currentCount: Int) {
        self.nextMarker = nextMarker
        self.currentCount = currentCount
    }
    enum CodingKeys: String, CodingKey { case nextMarker = "next_marker", currentCount = "current_count" }
}

/// `ShowVpnConnectionResponse`.
public struct ShowConnectionResponse: Codable, Sendable, Equatable {
    public var vpnConnection: VPNConnection
    public var requestID: String?
    public init(vpnConnection: VPNConnection, requestID: String?) {
        self.vpnConnection = vpnConnection
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey { case vpnConnection = "vpn_connection", requestID = "request_id" }
}

/// `ResponseEip`: one of a gateway's public addresses.
public struct GatewayEIP: Codable, Sendable, Equatable {
    /// The EIP's id: what a desired file's `ips` names for a public gateway.
    public var id: String?
    /// The address itself.
    public var ipAddress: String?

    public init(id: String?, ipAddress: String?) {
        self.id = id
        self.ipAddress = ipAddress
    }

    enum CodingKeys: String, CodingKey { case id, ipAddress = "ip_address" }
}

/// A VPN gateway as the API returns it (`ResponseVpnGateway`), reduced to the fields vpnform reads.
public struct VPNGateway: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    /// `PENDING_CREATE`, `PENDING_UPDATE`, `PENDING_DELETE`, `ACTIVE`, `FAULT`, `FREEZED`.
    public var status: String?
    /// `vpc` or `er`.
    public var attachmentType: String?
    /// `public` or `private`.
    public var networkType: String?
    /// `active-active` (the default) or `active-standby`.
    public var haMode: String?
    public var eip1: GatewayEIP?
    public var eip2: GatewayEIP?
    /// The gateway's addresses on a private network.
    public var accessPrivateIP1: String?
    public var accessPrivateIP2: String?
    /// How many connections the gateway may have.
    public var connectionNumber: Int?
    /// How many it has.
    public var usedConnectionNumber: Int?
    public var flavor: String?
    public var enterpriseProjectID: String?

    public init(id: String) { self.id = id }

    enum CodingKeys: String, CodingKey {
        case id, name, status, flavor, eip1, eip2
        case attachmentType = "attachment_type", networkType = "network_type", haMode = "ha_mode"
        case accessPrivateIP1 = "access_private_ip_1", accessPrivateIP2 = "access_private_ip_2"
        case connectionNumber = "connection_number", usedConnectionNumber = "used_connection_number"
        case enterpriseProjectID = "enterprise_project_id"
    }

    /// The values a connection's `vgw_ip` may take on this gateway, in order: EIP ids, then private IPs.
    public var connectionIPs: [String] {
        [eip1?.id, eip2?.id, accessPrivateIP1, accessPrivateIP2].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// Connections the gateway can still take; `nil` when the API did not say.
    public var freeConnections: Int? {
        guard let total = connectionNumber else { return nil }
        return max(0, total - (usedConnectionNumber ?? 0))
    }
}

/// `ShowVgwResponse`.
public struct ShowGatewayResponse: Codable, Sendable, Equatable {
    public var vpnGateway: VPNGateway
    public var requestID: String?
    public init(vpnGateway: VPNGateway, requestID: String?) {
        self.vpnGateway = vpnGateway
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey { case vpnGateway = "vpn_gateway", requestID = "request_id" }
}

/// `ListVgwsResponse` (the API does not page gateways).
public struct ListGatewaysResponse: Codable, Sendable, Equatable {
    public var vpnGateways: [VPNGateway]
    public var requestID: String?
    public init(vpnGateways: [VPNGateway], requestID: String?) {
        self.vpnGateways = vpnGateways
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey { case vpnGateways = "vpn_gateways", requestID = "request_id" }
}

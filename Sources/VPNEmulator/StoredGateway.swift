import VPNAPI

/// One stored VPN gateway, the project it belongs to (none: every project sees it), and how it came to be.
struct StoredGateway: Codable, Sendable {
    /// `nil` for a gateway seeded from configuration and visible in every project.
    var projectID: String?
    /// The gateway as stored; `used_connection_number` is not kept here but counted when answering.
    var gateway: VPNGateway
    /// Made on the fly by a batch-create on an unknown gateway: such a gateway takes any `vgw_ip`
    /// (filling its free address slots), so tests written before gateways existed keep working.
    var madeOnTheFly: Bool
    /// Milliseconds since 1970 when it was stored: its `created_at`, and the list order.
    var createdMillis: Int64

    enum CodingKeys: String, CodingKey {
        case projectID = "project_id", gateway, madeOnTheFly = "made_on_the_fly", createdMillis = "created_ms"
    }

    /// The dictionary key of a gateway: project (or `*`) and id.
    static func key(project: String?, id: String) -> String { "\(project ?? "*")/\(id)" }

    var key: String { Self.key(project: projectID, id: gateway.id) }

    /// Records `ip` in the first free address slot of its kind (an IPv4 text is a private address,
    /// anything else an EIP id), unless the gateway already has it or has no free slot.
    mutating func adopt(ip: String) {
        guard !gateway.connectionIPs.contains(ip) else { return }
        if GatewayFactory.isPrivateAddress(ip) {
            if gateway.accessPrivateIP1 == nil {
                gateway.accessPrivateIP1 = ip
            } else if gateway.accessPrivateIP2 == nil {
                gateway.accessPrivateIP2 = ip
            }
        } else if gateway.eip1 == nil {
            gateway.eip1 = GatewayFactory.eip(id: ip)
        } else if gateway.eip2 == nil {
            gateway.eip2 = GatewayFactory.eip(id: ip)
        }
    }
}

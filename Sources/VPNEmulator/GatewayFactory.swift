import VPNAPI
import VPNValues

/// Makes gateways the way the console would have: addresses from the `vgw_ip` values connections
/// will use, and the server's defaults for the rest.
enum GatewayFactory {
    /// `connection_number` of a made gateway when no quota is configured.
    static let defaultConnectionNumber = 1000

    /// Whether a `vgw_ip` value names a private address (an IPv4 text) rather than an EIP (by id).
    static func isPrivateAddress(_ ip: String) -> Bool { IPv4Address(ip) != nil }

    /// An EIP with a made-up documentation-range address derived from its id.
    static func eip(id: String) -> GatewayEIP {
        GatewayEIP(id: id, ipAddress: ConnectionDefaults.syntheticAddress(id, prefix: "203.0.113"))
    }

    static func make(id: String, ips: [String], haMode: String, attachmentType: String,
                     connectionNumber: Int) -> VPNGateway {
        var g = VPNGateway(id: id)
        g.name = "vpngw-" + String(id.prefix(8))
        g.status = "ACTIVE"
        g.attachmentType = attachmentType
        g.haMode = haMode
        g.flavor = "Professional1"
        g.enterpriseProjectID = "0"
        g.connectionNumber = connectionNumber
        g.usedConnectionNumber = 0
        let eips = ips.filter { !isPrivateAddress($0) }, privates = ips.filter(isPrivateAddress)
        g.networkType = eips.isEmpty && !privates.isEmpty ? "private" : "public"
        g.eip1 = eips.first.map(eip(id:))
        g.eip2 = eips.dropFirst().first.map(eip(id:))
        g.accessPrivateIP1 = privates.first
        g.accessPrivateIP2 = privates.dropFirst().first
        return g
    }
}

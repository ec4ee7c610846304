/// Why a batch-create is refused because of its gateway: the API's status, code and message.
enum GatewayRefusal: Error, Equatable {
    /// The gateway does not exist (and the emulator does not make gateways on the fly).
    case unknown(gateway: String)
    /// The gateway is not `ACTIVE`.
    case notActive(gateway: String, status: String)
    /// `vpn_connections[index].vgw_ip` is neither an EIP id nor a private address of the gateway.
    case foreignAddress(index: Int, ip: String, gateway: String)
    /// The batch would take the gateway past its `connection_number`.
    case quota(gateway: String, limit: Int)

    var status: Int {
        if case .unknown = self { return 404 }
        return 400
    }

    var code: String {
        switch self {
        case .unknown: return "VPN.0509"
        case .notActive(_, "PENDING_CREATE"): return "VPN.0506"
        case .notActive(_, "PENDING_UPDATE"): return "VPN.0507"
        case .notActive(_, "PENDING_DELETE"): return "VPN.0508"
        case .notActive, .foreignAddress, .quota: return "VPN.0001"
        }
    }

    var message: String {
        switch self {
        case let .unknown(gateway):
            return "The VPN gateway \(gateway) does not exist"
        case let .notActive(gateway, "PENDING_CREATE"):
            return "The VPN gateway \(gateway) is being created"
        case let .notActive(gateway, "PENDING_UPDATE"):
            return "The VPN gateway \(gateway) is being updated"
        case let .notActive(gateway, "PENDING_DELETE"):
            return "The VPN gateway \(gateway) is being deleted"
        case let .notActive(gateway, status):
            return "invalid request: the VPN gateway \(gateway) is \(status), not ACTIVE"
        case let .foreignAddress(index, ip, gateway):
            return "invalid request: vpn_connections[\(index)].vgw_ip: \"\(ip)\" is not an EIP id or private IP "
                + "of VPN gateway \(gateway)"
        case let .quota(gateway, limit):
            return "invalid request: quota exceeded: gateway \(gateway) may have at most \(limit) connections"
        }
    }
}

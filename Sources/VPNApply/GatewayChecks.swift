import VPNAPI
import VPNForm

/// Checks the desired file against the gateways the API holds, before anything is sent: each
/// gateway exists and is `ACTIVE`, every `ips` entry is one of its EIP ids or private IPs, its
/// free connection quota covers what the plan creates on it, `ha_role` is set only on an
/// `active-standby` gateway, and no `peer_subnets` go to a gateway attached to an enterprise router.
/// Each finding is an error located in the desired file.
public enum GatewayChecks {
    /// The findings for the gateways of `desired` that `read` covers (or reports missing).
    /// - Parameters:
    ///   - creating: How many connections the plan creates on each gateway.
    ///   - file: The desired file's name, for the diagnostics.
    public static func check(_ desired: DesiredState, against read: LiveReader.Result, creating: [GatewayID: Int],
                             file: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func error(_ mark: Mark, _ path: String, _ message: String, _ severity: Diagnostic.Severity = .error) {
            found.append(Diagnostic(severity, file: file, at: mark, path: path, message))
        }
        for gateway in desired.gateways {
            let id = gateway.id.value
            if read.missing.contains(id) {
                error(gateway.id.mark, "\(gateway.path).id", "gateway \(id) does not exist in this project (the API answered 404)")
                continue
            }
            guard let live = read.gateways[id] else { continue }
            if live.status != "ACTIVE" {
                // Only an error where the plan creates something: its other connections are left alone.
                let creates = (creating[id] ?? 0) > 0
                error(gateway.id.mark, "\(gateway.path).id",
                      "gateway \(id) is \(live.status ?? "in an unknown state"), not ACTIVE: it cannot take connections now",
                      creates ? .error : .warning)
            }
            let allowed = live.connectionIPs
            for (i, ip) in gateway.ips.value.enumerated() where !allowed.contains(ip.value) {
                let expected = allowed.isEmpty ? "it reports none" : "expected one of \(allowed.joined(separator: ", "))"
                error(ip.mark, "\(gateway.path).ips[\(i)]",
                      "\"\(ip.value)\" is not an EIP id or private IP of gateway \(id); \(expected)")
            }
            if let wanted = creating[id], wanted > 0, let free = live.freeConnections, free < wanted {
                error(gateway.id.mark, "\(gateway.path).id",
                      "gateway \(id) can take \(free) more connection\(free == 1 ? "" : "s") (quota \(live.connectionNumber ?? 0), "
                          + "\(live.usedConnectionNumber ?? 0) used) but the plan creates \(wanted)")
            }
            let standby = live.haMode == "active-standby"
            let er = live.attachmentType == "er"
            for connection in gateway.connections {
                let path = gateway.path(of: connection)
                if !standby {
                    if let role = connection.spec.haRole {
                        error(role.mark, "\(path).ha_role", haMessage(id, live))
                    }
                    for (i, tunnel) in (connection.tunnels?.value ?? []).enumerated() {
                        if let role = tunnel.haRole { error(role.mark, "\(path).tunnels[\(i)].ha_role", haMessage(id, live)) }
                    }
                }
                if er, let subnets = connection.spec.peerSubnets {
                    error(subnets.mark, "\(path).peer_subnets",
                          "gateway \(id) is attached to an enterprise router (attachment_type er): leave peer_subnets out, "
                              + "the router's routes decide what goes through the tunnel")
                }
            }
        }
        return found.sortedUnique()
    }

    private static func haMessage(_ id: GatewayID, _ live: VPNGateway) -> String {
        "ha_role is only for a gateway in active-standby mode; gateway \(id) is \(live.haMode ?? "active-active")"
    }

    /// Connections the plan's creates and recoveries will add, per gateway: those the live view
    /// does not already hold under their names.
    public static func creations(_ plan: Plan, live: LiveView) -> [GatewayID: Int] {
        var existing = Set<String>()
        for c in live.connections { existing.insert(c.gatewayID.rawValue + "/" + c.name) }
        var count: [GatewayID: Int] = [:]
        for e in plan.entries where e.action == .create || e.action == .recover {
            guard let d = e.desired else { continue }
            count[d.gatewayID, default: 0] += d.connections.filter { !existing.contains(d.gatewayID.rawValue + "/" + $0.name) }.count
        }
        return count
    }
}

import VPNAPI
import VPNEmulator
import VPNForm

/// The gateways desired-state files name, made as the emulator should hold them, so an emulator (or
/// `apply --emulator`) starts with the gateways a file expects instead of making them on the fly.
public enum EmulatorGatewaySeed {
    /// One ACTIVE gateway per distinct gateway id: its `ips` (in file order, the first two distinct
    /// across entries of the same id) as EIP ids or private addresses, and HA mode `active-standby`
    /// when any of its connections sets `ha_role` (on the connection, its defaults or a tunnel).
    /// - Parameters:
    ///   - states: The loaded files.
    ///   - connectionNumber: Each gateway's connection quota.
    public static func gateways(in states: [DesiredState],
                         connectionNumber: Int = VPNEmulator.defaultConnectionNumber) -> [VPNGateway] {
        var order: [String] = []
        var ips: [String: [String]] = [:]
        var standby: Set<String> = []
        for state in states {
            for gateway in state.gateways {
                let id = gateway.id.value.rawValue
                if ips[id] == nil { order.append(id) }
                for ip in gateway.ips.value.map(\.value) where !(ips[id] ?? []).contains(ip) {
                    ips[id, default: []].append(ip)
                }
                if gateway.connections.contains(where: setsHARole) { standby.insert(id) }
            }
        }
        return order.map { id in
            VPNEmulator.makeGateway(id: id, ips: Array((ips[id] ?? []).prefix(2)),
                                    haMode: standby.contains(id) ? "active-standby" : "active-active",
                                    connectionNumber: connectionNumber)
        }
    }

    private static func setsHARole(_ connection: Connection) -> Bool {
        connection.spec.haRole != nil || (connection.tunnels?.value.contains { $0.haRole != nil } ?? false)
    }
}

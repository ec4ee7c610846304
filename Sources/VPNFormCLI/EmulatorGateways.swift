import VPNEmulator
import VPNForm

/// The gateways a desired file names, made in an emulator so `apply --emulator` finds them.
enum EmulatorGateways {
    /// Registers every gateway of `desired` (in every project), in `active-standby` mode when any
    /// of its connections sets `ha_role`.
    static func register(_ desired: DesiredState, in emulator: VPNEmulator) {
        for gateway in desired.gateways {
            let standby = gateway.connections.contains { c in
                c.spec.haRole != nil || (c.tunnels?.value ?? []).contains { $0.haRole != nil }
            }
            let made = VPNEmulator.makeGateway(id: gateway.id.value.rawValue, ips: gateway.ips.value.map(\.value),
                                               haMode: standby ? "active-standby" : "active-active")
            emulator.addGateway(made, project: nil)
        }
    }
}

import VPNAPI
import VPNForm

extension BatchCreateRequest {
    /// The batch-create request of a pair: one item per gateway IP, from the connection's
    /// effective fields, with the resolved pre-shared key.
    /// - Parameter indices: Which of the gateway's IPs to include (all by default; recovery may
    ///   create only the ones it did not find).
    public init(gateway: Gateway, connection: Connection, psk: Secret, indices: [Int]? = nil) {
        let names = gateway.apiNames(of: connection)
        let tunnels = connection.tunnels?.value ?? []
        self.init(vpnConnections: (indices ?? Array(gateway.ips.value.indices)).map { i in
            CreateVPNConnection(RequestSource(
                gateway: gateway, fields: connection.spec, tunnel: i < tunnels.count ? tunnels[i] : nil,
                name: names[i].value, index: i, psk: psk))
        })
    }

    static func ike(_ p: VPNForm.IKEPolicy) -> VPNAPI.IKEPolicy {
        var r = VPNAPI.IKEPolicy()
        r.ikeVersion = p.ikeVersion?.value.rawValue
        r.phase1NegotiationMode = p.phase1NegotiationMode?.value.rawValue
        r.authenticationAlgorithm = p.authenticationAlgorithm?.value.rawValue
        r.encryptionAlgorithm = p.encryptionAlgorithm?.value.rawValue
        r.dhGroup = p.dhGroup?.value.rawValue
        r.authenticationMethod = p.authenticationMethod?.value.rawValue
        r.lifetimeSeconds = p.lifetimeSeconds?.value
        r.localIDType = p.localIDType?.value.rawValue
        r.localID = p.localID?.value
        r.peerIDType = p.peerIDType?.value.rawValue
        r.peerID = p.peerID?.value
        if let d = p.dpd {
            r.dpd = DPD(timeout: d.timeout?.value, interval: d.interval?.value, msg: d.msg?.value.rawValue)
        }
        return r
    }

    static func ipsec(_ p: VPNForm.IPsecPolicy) -> VPNAPI.IPsecPolicy {
        var r = VPNAPI.IPsecPolicy()
        r.authenticationAlgorithm = p.authenticationAlgorithm?.value.rawValue
        r.encryptionAlgorithm = p.encryptionAlgorithm?.value.rawValue
        r.pfs = p.pfs?.value.rawValue
        r.transformProtocol = p.transformProtocol?.value.rawValue
        r.lifetimeSeconds = p.lifetimeSeconds?.value
        r.encapsulationMode = p.encapsulationMode?.value.rawValue
        return r
    }
}

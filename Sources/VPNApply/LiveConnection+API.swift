import VPNAPI
import VPNForm

extension LiveConnection {
    /// A connection the API returned, under the spec's attribute names (as `PairSpec` writes them:
    /// `style` in lower case, tags as an object, policy rules without `rule_index`).
    public init(_ c: VPNConnection) {
        var a: [String: JSONValue] = [:]
        func put(_ key: String, _ value: String?) { if let value { a[key] = .string(value) } }
        func put(_ key: String, _ value: Int?) { if let value { a[key] = .int(value) } }
        func put(_ key: String, _ value: Bool?) { if let value { a[key] = .bool(value) } }
        put("cgw_id", c.cgwID)
        put("style", c.style?.lowercased())
        if let subnets = c.peerSubnets { a["peer_subnets"] = .array(subnets.map(JSONValue.string)) }
        put("enable_hub", c.enableHub)
        put("enable_nqa", c.enableNQA)
        if let rules = c.policyRules {
            a["policy_rules"] = .array(rules.map { r in
                .object(["source": .string(r.source ?? ""), "destination": .array((r.destination ?? []).map(JSONValue.string))])
            })
        }
        if let p = c.ikepolicy {
            put("ikepolicy.authentication_algorithm", p.authenticationAlgorithm)
            put("ikepolicy.authentication_method", p.authenticationMethod)
            put("ikepolicy.dh_group", p.dhGroup)
            put("ikepolicy.dpd.interval", p.dpd?.interval)
            put("ikepolicy.dpd.msg", p.dpd?.msg)
            put("ikepolicy.dpd.timeout", p.dpd?.timeout)
            put("ikepolicy.encryption_algorithm", p.encryptionAlgorithm)
            put("ikepolicy.ike_version", p.ikeVersion)
            put("ikepolicy.lifetime_seconds", p.lifetimeSeconds)
            put("ikepolicy.local_id", p.localID)
            put("ikepolicy.local_id_type", p.localIDType)
            put("ikepolicy.peer_id", p.peerID)
            put("ikepolicy.peer_id_type", p.peerIDType)
            put("ikepolicy.phase1_negotiation_mode", p.phase1NegotiationMode)
        }
        if let p = c.ipsecpolicy {
            put("ipsecpolicy.authentication_algorithm", p.authenticationAlgorithm)
            put("ipsecpolicy.encapsulation_mode", p.encapsulationMode)
            put("ipsecpolicy.encryption_algorithm", p.encryptionAlgorithm)
            put("ipsecpolicy.lifetime_seconds", p.lifetimeSeconds)
            put("ipsecpolicy.pfs", p.pfs)
            put("ipsecpolicy.transform_protocol", p.transformProtocol)
        }
        if let tags = c.tags {
            var object: [String: JSONValue] = [:]
            for t in tags { object[t.key] = .string(t.value) }
            a["tags"] = .object(object)
        }
        put("ha_role", c.haRole)
        put("name", c.name)
        put("tunnel_local_address", c.tunnelLocalAddress)
        put("tunnel_peer_address", c.tunnelPeerAddress)
        put("vgw_ip", c.vgwIP)
        self.init(id: ConnectionID(c.id), name: c.name ?? "", gatewayID: GatewayID(c.vgwID ?? ""), vgwIP: c.vgwIP ?? "",
                  status: c.status ?? "UNKNOWN", createdAt: c.createdAt, attributes: a)
    }
}

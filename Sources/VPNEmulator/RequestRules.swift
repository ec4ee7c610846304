import VPNAPI
import VPNValues

/// The request-body rules of batch-create as the API documents them. Each failure is the message
/// of a `400 VPN.0001`, naming the field; none ever contains a pre-shared key.
enum RequestRules {
    static let styles = ["static", "bgp", "policy"]
    static let ikeVersions = ["v1", "v2"], phase1Modes = ["main", "aggressive"]
    static let authAlgorithms = ["sha1", "md5", "sha2-256", "sha2-384", "sha2-512"]
    static let encryptionAlgorithms = ["3des", "aes-128", "aes-192", "aes-256", "aes-128-gcm-16", "aes-256-gcm-16", "aes-128-gcm-128", "aes-256-gcm-128"]
    static let dhGroups = ["group1", "group2", "group5", "group14", "group15", "group16", "group19", "group20", "group21"]
    static let authMethods = ["pre-share", "digital-envelope-v2"], idTypes = ["ip", "fqdn"]
    static let dpdMessages = ["seq-hash-notify", "seq-notify-hash"], haRoles = ["master", "slave"]

    /// The first problem of a batch-create body, or `nil`.
    static func problem(_ request: BatchCreateRequest) -> String? {
        let items = request.vpnConnections
        guard (1...2).contains(items.count) else { return "vpn_connections must hold 1 or 2 connections, got \(items.count)" }
        if items.count == 2, items[0].vgwID != items[1].vgwID { return "vpn_connections: both connections must have the same vgw_id" }
        if items.count == 2, items[0].vgwIP == items[1].vgwIP { return "vpn_connections: the two connections must use different vgw_ip" }
        for (i, c) in items.enumerated() {
            if let p = problem(c) { return "vpn_connections[\(i)].\(p)" }
        }
        return nil
    }

    static func oneOf(_ value: String?, _ allowed: [String], _ field: String) -> String? {
        guard let value else { return nil }
        return allowed.contains(value) ? nil : "\(field): invalid value \"\(value)\"; expected one of \(allowed.joined(separator: ", "))"
    }

    static func range(_ value: Int?, _ r: ClosedRange<Int>, _ field: String) -> String? {
        guard let value else { return nil }
        return r.contains(value) ? nil : "\(field): \(value) is out of range \(r.lowerBound)-\(r.upperBound)"
    }

    static func cidr(_ s: String, _ field: String) -> String? {
        guard let c = IPv4CIDR(s) else { return "\(field): \"\(s)\" is not an IPv4 CIDR" }
        if ValueRules.reservedBlocks.contains(where: c.overlaps) { return "\(field): \(s) overlaps a reserved VPC range" }
        return nil
    }

    static func tunnelAddress(_ s: String, _ field: String) -> String? {
        guard let c = IPv4CIDR(s), c.prefix == 30, ValueRules.linkLocal.overlaps(c) else { return "\(field): \"\(s)\" must be a /30 address in 169.254.0.0/16" }
        if ValueRules.reservedTunnelBlock.overlaps(c) { return "\(field): 169.254.195.0/24 is reserved" }
        if c.address == c.network || c.address == c.broadcast { return "\(field): \(s) is not a host address of its /30" }
        return nil
    }

    // The checks run in the order the fields are documented.
    static func problem(_ c: CreateVPNConnection) -> String? {
        if let name = c.name, !(ValueRules.isHandle(name) || isCJKName(name)) { return "name: \"\(name)\" must be 1-64 letters, digits, _ - ." }
        guard ValueRules.isUUID(c.vgwID) else { return "vgw_id: \"\(c.vgwID)\" is not a valid id" }
        guard ValueRules.isUUID(c.vgwIP) || IPv4Address(c.vgwIP) != nil else { return "vgw_ip: \"\(c.vgwIP)\" is not an EIP id or IPv4 address" }
        if let p = oneOf(c.style, styles, "style") { return p }
        let style = c.style ?? "static"
        guard ValueRules.isUUID(c.cgwID) else { return "cgw_id: \"\(c.cgwID)\" is not a valid id" }
        guard let subnets = c.peerSubnets, !subnets.isEmpty else { return "peer_subnets: is required" }
        if subnets.count > 50 { return "peer_subnets: at most 50 subnets, got \(subnets.count)" }
        for (i, s) in subnets.enumerated() { if let p = cidr(s, "peer_subnets[\(i)]") { return p } }
        if Set(subnets).count != subnets.count { return "peer_subnets: duplicate subnet" }
        switch (c.tunnelLocalAddress, c.tunnelPeerAddress) {
        case (nil, nil): break
        case let (l?, p?):
            guard style != "policy" else { return "tunnel_local_address: not allowed with style policy" }
            if let e = tunnelAddress(l, "tunnel_local_address") ?? tunnelAddress(p, "tunnel_peer_address") { return e }
            let lc = IPv4CIDR(l)!, pc = IPv4CIDR(p)!
            if lc.network != pc.network || lc.address == pc.address { return "tunnel_peer_address: must be the other host of tunnel_local_address's /30" }
        default:
            return "tunnel_local_address: tunnel_local_address and tunnel_peer_address must be set together"
        }
        if c.enableNQA != nil, style != "static" { return "enable_nqa: enable_nqa must not be filled if style is not static" }
        if c.enableHub != nil, style != "bgp" { return "enable_hub: enable_hub must not be filled if style is not bgp" }
        guard let psk = c.psk else { return "psk: is required" }
        if let p = ValueRules.pskProblem(psk.revealed) { return "psk: \(p)" }
        if style == "policy" {
            guard let rules = c.policyRules, !rules.isEmpty else { return "policy_rules: is required when style is policy" }
            if rules.count > 5 { return "policy_rules: at most 5 rules, got \(rules.count)" }
            var sources = Set<String>()
            for (i, r) in rules.enumerated() {
                guard let source = r.source else { return "policy_rules[\(i)].source: is required" }
                if let p = cidr(source, "policy_rules[\(i)].source") { return p }
                guard sources.insert(source).inserted else { return "policy_rules[\(i)].source: duplicate source \(source)" }
                guard let dest = r.destination, !dest.isEmpty else { return "policy_rules[\(i)].destination: is required" }
                if dest.count > 50 { return "policy_rules[\(i)].destination: at most 50 destinations" }
                for (j, d) in dest.enumerated() { if let p = cidr(d, "policy_rules[\(i)].destination[\(j)]") { return p } }
            }
        } else if c.policyRules?.isEmpty == false {
            return "policy_rules: only allowed with style policy"
        }
        if let ike = c.ikepolicy, let p = problem(ike) { return "ikepolicy.\(p)" }
        if let ipsec = c.ipsecpolicy {
            if let p = oneOf(ipsec.authenticationAlgorithm, authAlgorithms, "authentication_algorithm")
                ?? oneOf(ipsec.encryptionAlgorithm, encryptionAlgorithms, "encryption_algorithm")
                ?? oneOf(ipsec.pfs, dhGroups + ["disable"], "pfs")
                ?? oneOf(ipsec.transformProtocol, ["esp"], "transform_protocol")
                ?? range(ipsec.lifetimeSeconds, 30...604_800, "lifetime_seconds")
                ?? oneOf(ipsec.encapsulationMode, ["tunnel"], "encapsulation_mode") { return "ipsecpolicy.\(p)" }
        }
        if let p = oneOf(c.haRole, haRoles, "ha_role") { return p }
        if let tags = c.tags {
            if tags.count > 20 { return "tags: at most 20 tags, got \(tags.count)" }
            for t in tags {
                if !(1...128).contains(t.key.count) || !ValueRules.isTagText(t.key) { return "tags: invalid tag key \"\(t.key)\"" }
                if t.value.count > 255 || !ValueRules.isTagText(t.value) { return "tags: invalid value of tag \"\(t.key)\"" }
            }
            if Set(tags.map(\.key)).count != tags.count { return "tags: duplicate tag key" }
        }
        return nil
    }

    static func problem(_ ike: IKEPolicy) -> String? {
        if let p = oneOf(ike.ikeVersion, ikeVersions, "ike_version") ?? oneOf(ike.phase1NegotiationMode, phase1Modes, "phase1_negotiation_mode")
            ?? oneOf(ike.authenticationAlgorithm, authAlgorithms, "authentication_algorithm")
            ?? oneOf(ike.encryptionAlgorithm, encryptionAlgorithms, "encryption_algorithm")
            ?? oneOf(ike.dhGroup, dhGroups, "dh_group") ?? oneOf(ike.authenticationMethod, authMethods, "authentication_method")
            ?? range(ike.lifetimeSeconds, 60...604_800, "lifetime_seconds")
            ?? oneOf(ike.localIDType, idTypes, "local_id_type") ?? oneOf(ike.peerIDType, idTypes, "peer_id_type") { return p }
        if let id = ike.localID, (ike.localIDType ?? "ip") == "ip", IPv4Address(id) == nil { return "local_id: \"\(id)\" is not an IPv4 address" }
        if let id = ike.peerID, (ike.peerIDType ?? "ip") == "ip", IPv4Address(id) == nil { return "peer_id: \"\(id)\" is not an IPv4 address" }
        if let dpd = ike.dpd {
            if let p = range(dpd.timeout, 2...60, "dpd.timeout") ?? range(dpd.interval, 10...3600, "dpd.interval")
                ?? oneOf(dpd.msg, dpdMessages, "dpd.msg") { return p }
        }
        return nil
    }

    /// The Chinese documentation also allows CJK ideographs in names.
    static func isCJKName(_ s: String) -> Bool {
        (1...64).contains(s.count) && s.unicodeScalars.allSatisfy {
            ValueRules.isHandle(String($0)) || (0x4E00...0x9FA5).contains($0.value)
        }
    }
}

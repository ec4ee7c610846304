import VPNAPI
import VPNForm

/// One pair `vpnform import` found on a gateway: one connection per gateway IP (or one alone),
/// with the handles and the desired-state text it will be written as.
struct ImportedPair {
    /// The connection handle (the second half of the pair's address).
    var handle: String
    /// The live connections, in the order of the gateway's `ips`.
    var connections: [VPNConnection]

    /// The pair-wide attributes that must agree for two connections to form one pair.
    static func pairKey(_ c: VPNConnection) -> String {
        var a = LiveConnection(c).attributes
        // The server sets local_id to each gateway IP's own address: not a pair-wide attribute.
        for key in LiveConnection.perConnectionKeys.union(["ikepolicy.local_id", "ikepolicy.peer_id"]) { a[key] = nil }
        return JSONValue.object(a).canonical
    }

    /// `hq-shanghai-1` → `hq-shanghai` (the stem both connections of a pair share by default).
    static func stem(_ name: String) -> String {
        guard let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy(\.isNumber),
              name.index(after: dash) != name.endIndex else { return name }
        return String(name[..<dash])
    }

    /// `text` reduced to a handle: 1–64 of `[A-Za-z0-9_.-]`.
    static func handle(_ text: String) -> String {
        let kept = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) ? $0 : "-" }.prefix(64))
        return kept.isEmpty ? "imported" : kept
    }

    /// The environment variable the imported file names for the pair's key.
    static func pskVariable(gateway: String, connection: String) -> String {
        "PSK_" + (gateway + "_" + connection).uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
    }

    /// The pair as a `connections:` item, indented for a gateway block, every field explicit.
    func yaml(gateway: String, standby: Bool) -> String {
        let first = connections[0]
        var y = "      - name: \(Self.scalar(handle))\n"
        func line(_ key: String, _ value: String?, indent: Int = 8) {
            guard let value else { return }
            y += String(repeating: " ", count: indent) + "\(key): \(value)\n"
        }
        let style = first.style?.lowercased()
        line("cgw_id", first.cgwID.map(Self.scalar))
        line("style", style.map(Self.scalar))
        if let subnets = first.peerSubnets { line("peer_subnets", Self.list(subnets)) }
        line("psk", "${\(Self.pskVariable(gateway: gateway, connection: handle))}")
        if style == "static", let v = first.enableNQA { line("enable_nqa", String(v)) }
        if style == "bgp", let v = first.enableHub { line("enable_hub", String(v)) }
        if style == "policy", let rules = first.policyRules, !rules.isEmpty {
            y += "        policy_rules:\n"
            for r in rules {
                y += "          - {source: \(Self.scalar(r.source ?? "")), destination: \(Self.list(r.destination ?? []))}\n"
            }
        }
        let defaultNames = connections.indices.map { "\(gateway)-\(handle)-\($0 + 1)" }
        let namesDiffer = connections.map { $0.name ?? "" } != defaultNames
        let anyTunnel = connections.contains { $0.tunnelLocalAddress != nil || (standby && $0.haRole != nil) }
        if namesDiffer || anyTunnel {
            y += "        tunnels:\n"
            for c in connections {
                var parts: [String] = []
                if namesDiffer { parts.append("name: \(Self.scalar(c.name ?? ""))") }
                if let l = c.tunnelLocalAddress, let p = c.tunnelPeerAddress {
                    parts.append("tunnel_local_address: \(Self.scalar(l))")
                    parts.append("tunnel_peer_address: \(Self.scalar(p))")
                }
                if standby, let role = c.haRole { parts.append("ha_role: \(Self.scalar(role))") }
                y += "          - {\(parts.joined(separator: ", "))}\n"
            }
        }
        if let p = first.ikepolicy {
            y += "        ikepolicy:\n"
            let v1 = p.ikeVersion == "v1"
            for (k, v) in [("ike_version", p.ikeVersion), ("phase1_negotiation_mode", v1 ? p.phase1NegotiationMode : nil),
                           ("authentication_algorithm", p.authenticationAlgorithm), ("encryption_algorithm", p.encryptionAlgorithm),
                           ("dh_group", p.dhGroup), ("authentication_method", p.authenticationMethod)] {
                line(k, v.map(Self.scalar), indent: 10)
            }
            line("lifetime_seconds", p.lifetimeSeconds.map(String.init), indent: 10)
            line("local_id_type", p.localIDType.map(Self.scalar), indent: 10)
            if p.localIDType == "fqdn" { line("local_id", p.localID.map(Self.scalar), indent: 10) }
            line("peer_id_type", p.peerIDType.map(Self.scalar), indent: 10)
            if p.peerIDType == "fqdn" { line("peer_id", p.peerID.map(Self.scalar), indent: 10) }
            if let d = p.dpd {
                var parts: [String] = []
                if let t = d.timeout { parts.append("timeout: \(t)") }
                if let i = d.interval { parts.append("interval: \(i)") }
                if let m = d.msg { parts.append("msg: \(Self.scalar(m))") }
                if !parts.isEmpty { line("dpd", "{\(parts.joined(separator: ", "))}", indent: 10) }
            }
        }
        if let p = first.ipsecpolicy {
            y += "        ipsecpolicy:\n"
            for (k, v) in [("authentication_algorithm", p.authenticationAlgorithm), ("encryption_algorithm", p.encryptionAlgorithm),
                           ("pfs", p.pfs), ("transform_protocol", p.transformProtocol), ("encapsulation_mode", p.encapsulationMode)] {
                line(k, v.map(Self.scalar), indent: 10)
            }
            line("lifetime_seconds", p.lifetimeSeconds.map(String.init), indent: 10)
        }
        if let tags = first.tags, !tags.isEmpty {
            line("tags", "{" + tags.map { "\(Self.scalar($0.key)): \(Self.scalar($0.value))" }.joined(separator: ", ") + "}")
        }
        return y
    }

    /// A YAML scalar: plain when it is an unambiguous word (`bgp`, `aes-256`), else double-quoted.
    static func scalar(_ s: String) -> String {
        let plain = s.first.map { $0.isASCII && $0.isLowercase } == true
            && s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(s)
        if plain { return s }
        var w = JSONWriter(style: .compact)
        w.string(s)
        return w.text
    }

    static func list(_ items: [String]) -> String { "[" + items.map(scalar).joined(separator: ", ") + "]" }
}

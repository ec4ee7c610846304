import Foundation
import VPNAPI
import VPNValues

/// What the API returns for a created connection: the request's values with the server's
/// defaults filled in (documented defaults; see the reference's sections 1.3–1.6).
enum ConnectionDefaults {
    static func response(for item: CreateVPNConnection, id: String, createdMillis: Int64, tunnel: (String?, String?),
                         random: inout SplitMix64) -> VPNConnection {
        let style = item.style ?? "static"
        var c = VPNConnection(id: id)
        c.name = item.name ?? "vpn-" + String(format: "%04x", Int(random.next() % 0x10000))
        c.status = "DOWN"
        c.vgwID = item.vgwID
        c.vgwIP = item.vgwIP
        c.style = style.uppercased()
        c.cgwID = item.cgwID
        c.peerSubnets = item.peerSubnets
        if style != "policy" {
            c.tunnelLocalAddress = tunnel.0
            c.tunnelPeerAddress = tunnel.1
        }
        c.enableNQA = item.enableNQA ?? false
        if style == "bgp" { c.enableHub = item.enableHub ?? false }
        // The server splits a rule with several destinations into one rule per destination.
        var index = 0
        c.policyRules = (item.policyRules ?? []).flatMap { rule in
            (rule.destination ?? []).map { d -> PolicyRule in
                index += 1
                return PolicyRule(ruleIndex: index, source: rule.source, destination: [d])
            }
        }
        c.ikepolicy = ike(item.ikepolicy, vgwIP: item.vgwIP, cgwID: item.cgwID)
        c.ipsecpolicy = ipsec(item.ipsecpolicy)
        c.createdAt = timestamp(createdMillis)
        c.updatedAt = c.createdAt
        c.enterpriseProjectID = "0"
        c.haRole = item.haRole ?? "master"
        c.tags = item.tags ?? []
        return c
    }

    static func ike(_ p: IKEPolicy?, vgwIP: String, cgwID: String) -> IKEPolicy {
        var r = p ?? IKEPolicy()
        r.ikeVersion = r.ikeVersion ?? "v2"
        if r.ikeVersion == "v1" { r.phase1NegotiationMode = r.phase1NegotiationMode ?? "main" }
        r.authenticationAlgorithm = r.authenticationAlgorithm ?? "sha2-256"
        r.encryptionAlgorithm = r.encryptionAlgorithm ?? "aes-128"
        r.dhGroup = r.dhGroup ?? "group15"
        r.authenticationMethod = r.authenticationMethod ?? "pre-share"
        r.lifetimeSeconds = r.lifetimeSeconds ?? 86400
        r.localIDType = r.localIDType ?? "ip"
        r.peerIDType = r.peerIDType ?? "ip"
        // Without ids the server reports the gateway's and the customer gateway's addresses.
        r.localID = r.localID ?? (IPv4Address(vgwIP).map { "\($0)" } ?? syntheticAddress(vgwIP, prefix: "203.0.113"))
        r.peerID = r.peerID ?? syntheticAddress(cgwID, prefix: "198.51.100")
        var dpd = r.dpd ?? DPD()
        dpd.timeout = dpd.timeout ?? 15
        dpd.interval = dpd.interval ?? 30
        dpd.msg = dpd.msg ?? "seq-hash-notify"
        r.dpd = dpd
        return r
    }

    static func ipsec(_ p: IPsecPolicy?) -> IPsecPolicy {
        var r = p ?? IPsecPolicy()
        r.authenticationAlgorithm = r.authenticationAlgorithm ?? "sha2-256"
        r.encryptionAlgorithm = r.encryptionAlgorithm ?? "aes-128"
        r.pfs = r.pfs ?? "group15"
        r.transformProtocol = r.transformProtocol ?? "esp"
        r.lifetimeSeconds = r.lifetimeSeconds ?? 3600
        r.encapsulationMode = r.encapsulationMode ?? "tunnel"
        return r
    }

    /// A documentation-range address derived from an id, standing in for an EIP's address.
    static func syntheticAddress(_ id: String, prefix: String) -> String {
        "\(prefix).\(id.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 254 } + 1)"
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, as the API writes times.
    static func timestamp(_ millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return UTCTime(epochSeconds: Int(seconds)).extended + "." + UTCTime.pad(Int(millis - seconds * 1000), 3) + "Z"
    }

    /// The inverse of ``timestamp(_:)``.
    static func parseMillis(_ text: String) -> Int64? {
        let parts = text.split(separator: ".")
        guard parts.count == 2, parts[1].hasSuffix("Z"), let ms = Int64(parts[1].dropLast()), let time = UTCTime(parts[0], compact: false) else { return nil }
        return Int64(time.epochSeconds) * 1000 + ms
    }
}

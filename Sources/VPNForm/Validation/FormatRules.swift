@_exported import VPNValues

/// Format rules of single values, as the Huawei VPN API documents them. Each returns `nil` when the
/// value is fine, or the message of a diagnostic.
enum FormatRules {
    static func uuid(_ s: String) -> String? {
        isUUID(s) ? nil : "expected a UUID (36 characters, 8-4-4-4-12 hex digits), got \"\(NodeDecoder.clip(s))\""
    }

    static func isUUID(_ s: String) -> Bool { ValueRules.isUUID(s) }

    static func projectID(_ s: String) -> String? {
        ValueRules.isProjectID(s) ? nil : "expected 32 hexadecimal characters, got \"\(NodeDecoder.clip(s))\""
    }

    /// Local handles and API connection names: 1–64 of `A-Z a-z 0-9 _ . -`.
    static func handle(_ s: String) -> String? {
        isHandle(s) ? nil : "expected 1-64 characters of A-Z a-z 0-9 _ . -, got \"\(NodeDecoder.clip(s))\""
    }

    static func isHandle(_ s: String) -> Bool { ValueRules.isHandle(s) }

    static func gatewayIP(_ s: String) -> String? {
        isUUID(s) || IPv4Address(s) != nil ? nil : "expected an EIP id (UUID) or an IPv4 address, got \"\(NodeDecoder.clip(s))\""
    }

    /// `cn-north-4`, `ap-southeast-1`, `eu-west-101` …
    static func region(_ s: String) -> String? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        let ok = parts.count >= 3
            && parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
            && parts.last!.allSatisfy { $0.isASCII && $0.isNumber } && !parts.last!.isEmpty
        return ok ? nil : "expected a region id such as cn-north-4, got \"\(NodeDecoder.clip(s))\""
    }


    /// A subnet (peer subnet, policy source or destination): a network address, not reserved.
    static func subnet(_ s: String) -> String? {
        guard let cidr = IPv4CIDR(s) else { return "expected an IPv4 CIDR such as 192.168.2.0/24, got \"\(NodeDecoder.clip(s))\"" }
        guard cidr.isNetworkAddress else { return "\(s) is not a network address (did you mean \(cidr.normalized)?)" }
        if let r = ValueRules.reservedBlocks.first(where: cidr.overlaps) {
            return "\(s) \(cidr.prefix >= r.prefix ? "is in" : "overlaps") a range reserved by the VPC service (\(r))"
        }
        if let r = ValueRules.nonUnicastBlocks.first(where: cidr.overlaps) {
            return "\(s) \(cidr.prefix >= r.prefix ? "is in" : "overlaps") \(r), which is not a unicast range"
        }
        return nil
    }


    /// A tunnel interface address on its own: `169.254.x.y/30`, a host of its /30, outside 169.254.195.0/24.
    static func tunnelAddress(_ s: String) -> String? { checkedTunnelAddress(s).problem }

    /// ``tunnelAddress(_:)``'s finding, or the block when there is none.
    private static func checkedTunnelAddress(_ s: String) -> (cidr: IPv4CIDR?, problem: String?) {
        guard let cidr = IPv4CIDR(s), cidr.prefix == 30, ValueRules.linkLocal.overlaps(cidr) else {
            let clipped = NodeDecoder.clip(s)
            return (nil, "expected a /30 address in 169.254.0.0/16 such as 169.254.56.225/30, got \"\(clipped)\"")
        }
        if ValueRules.reservedTunnelBlock.overlaps(cidr) {
            return (nil, "169.254.195.0/24 is reserved (\(s) is in it); choose another /30")
        }
        if cidr.address == cidr.network || cidr.address == cidr.broadcast {
            let hosts = (IPv4Address(cidr.network.value + 1), IPv4Address(cidr.network.value + 2))
            return (nil, "\(s) is the network or broadcast address of its /30; use \(hosts.0)/30 or \(hosts.1)/30")
        }
        return (cidr, nil)
    }

    /// The pair of tunnel addresses of one connection.
    static func tunnelPair(local: String, peer: String) -> String? {
        guard let l = IPv4CIDR(local), let p = IPv4CIDR(peer) else { return nil }
        return pairProblem(l, p)
    }

    /// ``tunnelPair(local:peer:)`` when both addresses pass ``tunnelAddress(_:)``, else `nil`: each address
    /// parsed once (checked, then paired, each was parsed twice).
    static func tunnelPairOfValid(local: String, peer: String) -> String? {
        guard let l = checkedTunnelAddress(local).cidr, let p = checkedTunnelAddress(peer).cidr else { return nil }
        return pairProblem(l, p)
    }

    private static func pairProblem(_ l: IPv4CIDR, _ p: IPv4CIDR) -> String? {
        if l.address == p.address { return "must differ from tunnel_local_address" }
        if l.network != p.network { return "tunnel_local_address and tunnel_peer_address must be in the same /30 (\(l.network)/30 and \(p.network)/30)" }
        return nil
    }

    /// Rules of a literal pre-shared key. Messages never contain the key.
    static func literalPSK(_ key: String) -> String? { ValueRules.pskProblem(key) }

    /// Characters allowed in tag keys and values: letters of any script, digits, space and `_ . : = + - @`.
    static func tagText(_ s: String) -> Bool { ValueRules.isTagText(s) }
}

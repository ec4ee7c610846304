/// Format rules of single values, as the Huawei VPN API documents them. Each returns `nil` when the
/// value is fine, or the message of a diagnostic.
enum FormatRules {
    static func uuid(_ s: String) -> String? {
        isUUID(s) ? nil : "expected a UUID (36 characters, 8-4-4-4-12 hex digits), got \"\(NodeDecoder.clip(s))\""
    }

    static func isUUID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }

    static func projectID(_ s: String) -> String? {
        s.utf8.count == 32 && s.utf8.allSatisfy(isHex) ? nil : "expected 32 hexadecimal characters, got \"\(NodeDecoder.clip(s))\""
    }

    /// Local handles and API connection names: 1–64 of `A-Z a-z 0-9 _ . -`.
    static func handle(_ s: String) -> String? {
        isHandle(s) ? nil : "expected 1-64 characters of A-Z a-z 0-9 _ . -, got \"\(NodeDecoder.clip(s))\""
    }

    static func isHandle(_ s: String) -> Bool {
        let b = s.utf8
        return (1...64).contains(b.count) && b.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
        }
    }

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

    /// Blocks the VPC service reserves; peer subnets may not overlap them.
    static let reservedBlocks: [IPv4CIDR] = ["100.64.0.0/10", "214.0.0.0/8"].compactMap { IPv4CIDR($0) }
    /// Blocks that are not unicast networks at all.
    static let nonUnicastBlocks: [IPv4CIDR] = ["0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4"].compactMap { IPv4CIDR($0) }

    /// A subnet (peer subnet, policy source or destination): a network address, not reserved.
    static func subnet(_ s: String) -> String? {
        guard let cidr = IPv4CIDR(s) else { return "expected an IPv4 CIDR such as 192.168.2.0/24, got \"\(NodeDecoder.clip(s))\"" }
        guard cidr.isNetworkAddress else { return "\(s) is not a network address (did you mean \(cidr.normalized)?)" }
        if let r = reservedBlocks.first(where: cidr.overlaps) {
            return "\(s) \(cidr.prefix >= r.prefix ? "is in" : "overlaps") a range reserved by the VPC service (\(r))"
        }
        if let r = nonUnicastBlocks.first(where: cidr.overlaps) {
            return "\(s) \(cidr.prefix >= r.prefix ? "is in" : "overlaps") \(r), which is not a unicast range"
        }
        return nil
    }

    static let linkLocal = IPv4CIDR("169.254.0.0/16")!
    static let reservedTunnelBlock = IPv4CIDR("169.254.195.0/24")!

    /// A tunnel interface address on its own: `169.254.x.y/30`, a host of its /30, outside 169.254.195.0/24.
    static func tunnelAddress(_ s: String) -> String? {
        guard let cidr = IPv4CIDR(s), cidr.prefix == 30, linkLocal.overlaps(cidr) else {
            return "expected a /30 address in 169.254.0.0/16 such as 169.254.56.225/30, got \"\(NodeDecoder.clip(s))\""
        }
        if reservedTunnelBlock.overlaps(cidr) { return "169.254.195.0/24 is reserved (\(s) is in it); choose another /30" }
        if cidr.address == cidr.network || cidr.address == cidr.broadcast {
            return "\(s) is the network or broadcast address of its /30; use \(IPv4Address(cidr.network.value + 1))/30 or \(IPv4Address(cidr.network.value + 2))/30"
        }
        return nil
    }

    /// The pair of tunnel addresses of one connection.
    static func tunnelPair(local: String, peer: String) -> String? {
        guard let l = IPv4CIDR(local), let p = IPv4CIDR(peer) else { return nil }
        if l.address == p.address { return "must differ from tunnel_local_address" }
        if l.network != p.network { return "tunnel_local_address and tunnel_peer_address must be in the same /30 (\(l.network)/30 and \(p.network)/30)" }
        return nil
    }

    /// Special characters the API allows in a pre-shared key.
    static let pskSpecials = Set("~!@#$%^()-_+={ },./:;")

    /// Rules of a literal pre-shared key. Messages never contain the key.
    static func literalPSK(_ key: String) -> String? {
        guard (8...128).contains(key.count) else { return "pre-shared key must be 8-128 characters (it has \(key.count))" }
        var upper = false, lower = false, digit = false, special = false
        for c in key {
            if c.isASCII, c.isUppercase { upper = true }
            else if c.isASCII, c.isLowercase { lower = true }
            else if c.isASCII, c.isNumber { digit = true }
            else if pskSpecials.contains(c) { special = true }
            else { return "pre-shared key contains a character that is not allowed (allowed: A-Z a-z 0-9 and ~!@#$%^()-_+={ },./:;)" }
        }
        let classes = [upper, lower, digit, special].filter { $0 }.count
        return classes >= 3 ? nil : "pre-shared key must use at least 3 of: upper case, lower case, digits, special characters"
    }

    /// Characters allowed in tag keys and values: letters of any script, digits, space and `_ . : = + - @`.
    static func tagText(_ s: String) -> Bool {
        s.allSatisfy { $0.isLetter || $0.isNumber || " _.:=+-@".contains($0) }
    }
}

/// Predicates of the values the Huawei VPN API documents, shared by the desired-state validator
/// and the API emulator (which phrase their findings differently).
public enum ValueRules {
    /// `8-4-4-4-12` hex digits.
    public static func isUUID(_ s: String) -> Bool {
        guard s.utf8.count == 36 else { return false }
        var s = s
        return s.withUTF8(isUUID)
    }

    /// `8-4-4-4-12` hex digits: the dashes at their four places, then each run of digits by index
    /// (a test per byte of its position cost more than the byte's own).
    static func isUUID(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 36, let p = b.baseAddress else { return false }
        let dash = UInt8(ascii: "-")
        guard p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return false }
        func hex(_ from: Int, _ to: Int) -> Bool {
            var i = from
            while i < to {
                let c = p[i]
                // `0-9`, or `a-f` once `A-F` is folded onto it (only `A-F` and `a-f` fold into `a-f`).
                guard c &- UInt8(ascii: "0") < 10 || (c | 0x20) &- UInt8(ascii: "a") < 6 else { return false }
                i += 1
            }
            return true
        }
        return hex(0, 8) && hex(9, 13) && hex(14, 18) && hex(19, 23) && hex(24, 36)
    }

    /// `0-9 a-f A-F`.
    /// A project id: 32 hexadecimal characters.
    public static func isProjectID(_ s: String) -> Bool { s.utf8.count == 32 && s.utf8.allSatisfy(isHex) }

    public static func isHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }

    /// 1–64 of `A-Z a-z 0-9 _ . -`: local handles and API connection names.
    public static func isHandle(_ s: String) -> Bool {
        let b = s.utf8
        // Over the bytes in place when the string has them contiguous (a native string always does):
        // iterating a UTF8View costs several times more per byte.
        return b.withContiguousStorageIfAvailable(isHandle) ?? Array(b).withUnsafeBufferPointer(isHandle)
    }

    /// ``isHandle(_:)-(String)`` of UTF-8 bytes.
    public static func isHandle(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        (1...64).contains(b.count) && b.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
        }
    }

    /// Blocks the VPC service reserves; peer subnets may not overlap them.
    public static let reservedBlocks: [IPv4CIDR] = ["100.64.0.0/10", "214.0.0.0/8"].compactMap { IPv4CIDR($0) }
    /// Blocks that are not unicast networks.
    public static let nonUnicastBlocks: [IPv4CIDR] = ["0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4"].compactMap { IPv4CIDR($0) }
    /// Tunnel interface addresses live here …
    public static let linkLocal = IPv4CIDR("169.254.0.0/16")!
    /// … but not here.
    public static let reservedTunnelBlock = IPv4CIDR("169.254.195.0/24")!

    /// Special characters the API allows in a pre-shared key.
    public static let pskSpecials = Set("~!@#$%^()-_+={ },./:;")

    /// What is wrong with a pre-shared key, in words that never contain it; `nil` when it is fine.
    public static func pskProblem(_ key: String) -> String? {
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

    /// Letters of any script, digits, space and `_ . : = + - @`: tag keys and values.
    public static func isTagText(_ s: String) -> Bool {
        // ASCII (the common case) byte by byte; anything else by Unicode properties.
        let b = s.utf8
        let ascii = b.withContiguousStorageIfAvailable { $0.allSatisfy(isTagByte) } ?? b.allSatisfy(isTagByte)
        return ascii || s.allSatisfy { $0.isLetter || $0.isNumber || " _.:=+-@".contains($0) }
    }

    private static func isTagByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: " ") || c == UInt8(ascii: "_")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c == UInt8(ascii: "=") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: "-") || c == UInt8(ascii: "@")
    }
}

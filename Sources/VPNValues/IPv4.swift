/// An IPv4 address as a 32-bit number.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address, most significant octet first.
    public let value: UInt32

    /// Creates an address from its numeric value.
    public init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad text strictly: four decimal octets 0–255, no leading zeros, nothing else.
    public init?(_ text: some StringProtocol) {
        guard let value = text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? Self.parse(Array(text.utf8)) else { return nil }
        self.value = value
    }

    /// ``init(_:)-(StringProtocol)`` of a `String`: a call from another module to the generic one is
    /// not specialised, and went through a witness table for every byte run (most callers pass strings).
    public init?(_ text: String) {
        var text = text
        guard let value = text.withUTF8({ Self.parse(utf8: $0, count: $0.count) }) else { return nil }
        self.value = value
    }

    /// ``parse(_:)`` of the first `count` bytes of `b`, by index over the bytes in place: the generic
    /// one, over a slice of a buffer, cost about three times as much per address.
    @inline(__always)
    static func parse(utf8 b: UnsafeBufferPointer<UInt8>, count end: Int) -> UInt32? {
        guard let p = b.baseAddress, end >= 7, end <= 15 else { return nil }
        var i = 0, value: UInt32 = 0, octet = 0
        while true {
            var current = UInt32(p[i] &- UInt8(ascii: "0"))
            guard current < 10 else { return nil }
            i += 1
            if current != 0 {  // "0" stands alone: a leading zero is refused below, by the byte after it
                var digits = 1
                while i < end, digits < 3 {
                    let d = p[i] &- UInt8(ascii: "0")
                    guard d < 10 else { break }
                    current = current * 10 + UInt32(d)
                    i += 1; digits += 1
                }
                guard current <= 255 else { return nil }
            }
            value = value << 8 | current
            if octet == 3 { return i == end ? value : nil }
            guard i < end, p[i] == UInt8(ascii: ".") else { return nil }
            i += 1; octet += 1
            guard i < end else { return nil }
        }
    }

    /// The value of dotted-quad bytes, or `nil`.
    static func parse(_ bytes: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0, octets = 0, current: UInt32 = 0, digits = 0, leadingZero = false
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                value = value << 8 | current
                octets += 1; current = 0; digits = 0
            } else if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
                if digits == 1, leadingZero { return nil }
                if digits == 0 { leadingZero = b == UInt8(ascii: "0") }
                current = current * 10 + UInt32(b - UInt8(ascii: "0"))
                digits += 1
                guard current <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard octets == 3, digits > 0 else { return nil }
        return value << 8 | current
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
}

/// An IPv4 block `address/prefix` as written: the address need not be the network address.
public struct IPv4CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The address as written.
    public let address: IPv4Address
    /// The prefix length, 0–32.
    public let prefix: Int

    /// Creates a block.
    public init(address: IPv4Address, prefix: Int) {
        self.address = address
        self.prefix = prefix
    }

    /// Parses `a.b.c.d/n`.
    public init?(_ text: some StringProtocol) {
        guard let (address, prefix) = text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? Self.parse(Array(text.utf8)) else { return nil }
        self.init(address: IPv4Address(address), prefix: prefix)
    }

    /// ``init(_:)-(StringProtocol)`` of a `String`, specialised here (see ``IPv4Address/init(_:)-(String)``).
    public init?(_ text: String) {
        var text = text
        guard let (address, prefix) = text.withUTF8(Self.parse(utf8:)) else { return nil }
        self.init(address: IPv4Address(address), prefix: prefix)
    }

    /// ``parse(_:)`` by index over the bytes in place (see ``IPv4Address/parse(utf8:count:)``). The
    /// prefix is the one or two bytes after the last `/`; an address holds no `/`, so that is the first.
    static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> (UInt32, Int)? {
        guard let p = b.baseAddress, b.count >= 9, b.count <= 18 else { return nil }
        let n = b.count
        let last = p[n - 1] &- UInt8(ascii: "0")
        guard last < 10 else { return nil }
        let prefix: Int, slash: Int
        if p[n - 2] == UInt8(ascii: "/") {
            prefix = Int(last); slash = n - 2
        } else {
            let first = p[n - 2] &- UInt8(ascii: "0")
            guard p[n - 3] == UInt8(ascii: "/"), first < 10, first != 0 else { return nil }
            prefix = Int(first) * 10 + Int(last); slash = n - 3
            guard prefix <= 32 else { return nil }
        }
        guard let address = IPv4Address.parse(utf8: b, count: slash) else { return nil }
        return (address, prefix)
    }

    /// The address and prefix of `a.b.c.d/n` bytes (prefix 0–32, one or two digits, no leading zero), or `nil`.
    static func parse(_ bytes: some Collection<UInt8>) -> (UInt32, Int)? {
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")), let address = IPv4Address.parse(bytes[..<slash]) else { return nil }
        let digits = bytes[bytes.index(after: slash)...]
        guard (1...2).contains(digits.count), digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        var prefix = 0
        for d in digits {
            guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { return nil }
            prefix = prefix * 10 + Int(d - UInt8(ascii: "0"))
        }
        return prefix <= 32 ? (address, prefix) : nil
    }

    /// The block's netmask.
    public var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - prefix) }
    /// The first address of the block.
    public var network: IPv4Address { IPv4Address(address.value & mask) }
    /// The last address of the block.
    public var broadcast: IPv4Address { IPv4Address(address.value | ~mask) }
    /// Whether the written address is the block's network address (no host bits set).
    public var isNetworkAddress: Bool { address == network }
    /// The block written with its network address.
    public var normalized: IPv4CIDR { IPv4CIDR(address: network, prefix: prefix) }

    /// Whether the two blocks share any address.
    public func overlaps(_ other: IPv4CIDR) -> Bool {
        let m = prefix < other.prefix ? mask : other.mask
        return address.value & m == other.address.value & m
    }

    public var description: String { "\(address)/\(prefix)" }
}

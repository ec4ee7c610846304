/// Writes JSON deterministically: object keys sorted by UTF-8 bytes, integers only, UTF-8 output
/// with only the escapes JSON requires.
public struct JSONWriter {
    /// Layout.
    public enum Style {
        /// No whitespace at all (canonical form).
        case compact
        /// One line, `", "` between items and `": "` after keys.
        case inline
        /// One item per line, indented by two spaces per level; empty containers stay `[]` / `{}`.
        case pretty
    }

    /// The layout in use.
    public let style: Style
    private(set) var bytes: [UInt8] = []

    /// Creates a writer.
    public init(style: Style) { self.style = style }

    /// Creates a writer with room for `capacity` bytes.
    init(style: Style, capacity: Int) {
        self.style = style
        bytes.reserveCapacity(capacity)
    }

    /// What has been written.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends raw text (for hand-laid-out documents such as the state file).
    public mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    mutating func append(_ b: UInt8) { bytes.append(b) }

    /// Appends raw bytes.
    mutating func append(_ b: some Collection<UInt8>) { bytes.append(contentsOf: b) }

    /// Appends `value` at nesting level `level` (pretty style indents from there).
    public mutating func write(_ value: JSONValue, level: Int = 0) {
        switch value {
        case .string(let s): string(s)
        case .int(let i): raw(String(i))
        case .bool(let b): raw(b ? "true" : "false")
        case .null: raw("null")
        case .array(let items):
            guard !items.isEmpty else { raw("[]"); return }
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                separator(first: i == 0, level: level + 1)
                write(item, level: level + 1)
            }
            close(UInt8(ascii: "]"), level: level)
        case .object(let members):
            guard !members.isEmpty else { raw("{}"); return }
            bytes.append(UInt8(ascii: "{"))
            for (i, key) in Self.sortedKeys(members).enumerated() {
                separator(first: i == 0, level: level + 1)
                string(key)
                raw(style == .compact ? ":" : ": ")
                write(members[key]!, level: level + 1)
            }
            close(UInt8(ascii: "}"), level: level)
        }
    }

    /// Keys in canonical order: by UTF-8 bytes, not by Swift's Unicode-aware `<`.
    public static func sortedKeys<V>(_ d: [String: V]) -> [String] {
        d.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private mutating func separator(first: Bool, level: Int) {
        switch style {
        case .compact: if !first { bytes.append(UInt8(ascii: ",")) }
        case .inline: if !first { raw(", ") }
        case .pretty:
            if !first { bytes.append(UInt8(ascii: ",")) }
            newline(level)
        }
    }

    private mutating func close(_ bracket: UInt8, level: Int) {
        if style == .pretty { newline(level) }
        bytes.append(bracket)
    }

    /// A newline and `level` indents.
    public mutating func newline(_ level: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    /// Whether a byte must be escaped in a JSON string.
    static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }

    /// Whether any byte of `utf8` ``needsEscape(_:)``, eight bytes at a time (a plan writes a spec
    /// for every desired pair, a few dozen strings each).
    static func containsEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        // Exact for "some byte": a byte is zero after the XOR, or less than 0x20.
        func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        func hasBelow20(_ x: UInt64) -> Bool { (x &- ones &* 0x20) & ~x & highs != 0 }
        var i = 0
        while i + 8 <= utf8.count {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if hasBelow20(w) || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) { return true }
            i += 8
        }
        while i < utf8.count {
            if needsEscape(base[i]) { return true }
            i += 1
        }
        return false
    }

    /// A quoted, escaped JSON string.
    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        let plain = s.withUTF8 { utf8 in
            guard !Self.containsEscape(utf8) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                raw("\\u00")
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// An identifier's text as a state holds it: a lower-case UUID (as the API writes its ids) in 16
/// bytes, anything else as it is. A state of 100,000 pairs holds 300,000 such ids; as strings each
/// would be an allocation of its own.
///
/// Every text has exactly one form, so two are equal exactly when their texts are.
struct CompactIDText: Sendable, Hashable {
    private enum Storage: Sendable, Hashable {
        /// The 32 hex digits, 4 bits each, the first 16 in `high`.
        case uuid(high: UInt64, low: UInt64)
        /// Any other text.
        case text(String)
    }

    private let storage: Storage

    /// The text `text`.
    init(_ text: String) {
        var copy = text
        if let (high, low) = copy.withUTF8(Self.packed) {
            storage = .uuid(high: high, low: low)
        } else {
            storage = .text(text)
        }
    }

    /// The text of UTF-8 bytes that are a lower-case UUID; `nil` for anything else.
    init?(lowerCaseUUID bytes: UnsafeBufferPointer<UInt8>) {
        guard let (high, low) = Self.packed(bytes) else { return nil }
        storage = .uuid(high: high, low: low)
    }

    /// The text.
    var text: String {
        switch storage {
        case .text(let text):
            return text
        case .uuid(let high, let low):
            return String(unsafeUninitializedCapacity: 36) { out in
                let digits: StaticString = "0123456789abcdef"
                var at = 0
                for n in 0..<32 {
                    if n == 8 || n == 12 || n == 16 || n == 20 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    let word = n < 16 ? high : low
                    let nibble = Int(word >> (60 - 4 * UInt64(n % 16)) & 0xF)
                    out[at] = digits.utf8Start[nibble]
                    at += 1
                }
                return at
            }
        }
    }

    /// The 32 hex digits of a lower-case `8-4-4-4-12` UUID; `nil` for anything else.
    private static func packed(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard b.count == 36 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0, n = 0
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c - UInt8(ascii: "a") + 10)
            default: return nil
            }
            if n < 16 { high = high << 4 | digit } else { low = low << 4 | digit }
            n += 1
        }
        return (high, low)
    }
}

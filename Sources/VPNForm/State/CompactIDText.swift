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
        guard b.count == 36, let base = UnsafeRawPointer(b.baseAddress),
              b[8] == UInt8(ascii: "-"), b[13] == UInt8(ascii: "-"), b[18] == UInt8(ascii: "-"),
              b[23] == UInt8(ascii: "-") else { return nil }
        func word(_ at: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
        func half(_ at: Int) -> UInt64 { UInt64(base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        // The digits eight at a time: 0-7, 9-12 and 14-17, 19-22 and 24-27, 28-35.
        guard let a = hex8(word(0)), let b = hex8(half(9) | half(14) << 32),
              let c = hex8(half(19) | half(24) << 32), let d = hex8(word(28)) else { return nil }
        return (a << 32 | b, c << 32 | d)
    }

    /// The value of eight lower-case hex digits (loaded little-endian: the first digit in the
    /// lowest byte), the first digit most significant; `nil` unless each byte is `0-9` or `a-f`.
    @inline(__always)
    static func hex8(_ w: UInt64) -> UInt64? {
        let highs: UInt64 = 0x8080_8080_8080_8080
        guard w & highs == 0 else { return nil }
        // Below 0x80, adding never carries out of a byte: a byte's high bit is then set exactly
        // when it is at least 0x30 (0x61) and clear when it is at most 0x39 (0x66).
        let digits = (w &+ 0x5050_5050_5050_5050) & ~(w &+ 0x4646_4646_4646_4646) & highs
        let letters = (w &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(w &+ 0x1919_1919_1919_1919) & highs
        guard digits | letters == highs else { return nil }
        // Each byte's value (`a` is 0x61: its low four bits and 9), the first in the highest byte;
        // then the nibbles gathered pairwise.
        var v = ((w & 0x0F0F_0F0F_0F0F_0F0F) &+ (letters >> 7) &* 9).byteSwapped
        v = (v | v >> 4) & 0x00FF_00FF_00FF_00FF
        v = (v | v >> 8) & 0x0000_FFFF_0000_FFFF
        return (v | v >> 16) & 0xFFFF_FFFF
    }
}

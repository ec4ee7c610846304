import Foundation

/// The keys an object may have, as `Key`'s cases, matched on their bytes so that reading a
/// member's key makes no `String` (a state file has a dozen keys per pair).
struct KnownKeys<Key: RawRepresentable & CaseIterable & Sendable>: Sendable where Key.RawValue == String {
    private let keys: [(key: Key, bytes: [UInt8])]
    /// Each key as JSON spells it without escapes: in quotes.
    private let quoted: [(key: Key, bytes: [UInt8])]

    init() {
        keys = Key.allCases.map { ($0, Array($0.rawValue.utf8)) }
        // Only keys JSON spells as they are: printable ASCII, no quote, no backslash.
        quoted = keys.filter { k in k.bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C } }
            .map { ($0.key, [UInt8(ascii: "\"")] + $0.bytes + [UInt8(ascii: "\"")]) }
    }

    /// The key whose quoted text starts `text`, and that text's length, if any: the key when the
    /// string at the start of `text` is one, spelled without escapes.
    @inline(__always)
    func quotedKey(at text: UnsafeBufferPointer<UInt8>) -> (Key, Int)? {
        guard text.count >= 2, let base = text.baseAddress else { return nil }
        for k in quoted where k.bytes.count <= text.count && k.bytes[1] == base[1] {
            let same = k.bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, base, $0.count) == 0 }
            if same { return (k.key, k.bytes.count) }
        }
        return nil
    }

    /// The key whose UTF-8 is `raw`, if any.
    func key(_ raw: UnsafeBufferPointer<UInt8>) -> Key? {
        for k in keys where k.bytes.count == raw.count {
            let same = k.bytes.withUnsafeBufferPointer { b in
                raw.isEmpty || memcmp(b.baseAddress!, raw.baseAddress!, raw.count) == 0
            }
            if same { return k.key }
        }
        return nil
    }
}

extension JSONScanner {
    /// ``nextKey(_:)`` of an object whose keys are `known`: the key when it is one of them, and its
    /// text when that had to be decoded (it is not one of them, or is spelled with escapes or
    /// non-ASCII characters; a known key is then matched as text, as a `String` comparison would).
    mutating func nextKey<Key>(_ first: inout Bool, in known: KnownKeys<Key>) throws(JSONReadError)
        -> (key: Key?, text: String?, at: Int)? {
        guard try startKey(&first) else { return nil }
        let at = offset
        // A known key as it is usually written: its quoted text, matched without scanning a string.
        if let (key, count) = known.quotedKey(at: UnsafeBufferPointer(rebasing: bytes[at...])) {
            offset = at + count
            try expect(UInt8(ascii: ":"))
            return (key, nil, at)
        }
        let (raw, start, plain, ascii) = try rawString()
        var key: Key?, text: String?
        if plain && ascii, let matched = known.key(raw) {
            key = matched
        } else {
            let decoded = try decode(raw, at: start, plain: plain, ascii: ascii)
            key = Key.allCases.first { $0.rawValue == decoded }
            text = decoded
        }
        try expect(UInt8(ascii: ":"))
        return (key, text, at)
    }
}

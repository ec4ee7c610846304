import Foundation

/// The keys an object may have, as `Key`'s cases, matched on their bytes so that reading a
/// member's key makes no `String` (a state file has a dozen keys per pair).
struct KnownKeys<Key: RawRepresentable & CaseIterable & Sendable>: Sendable where Key.RawValue == String {
    private let keys: [(key: Key, bytes: [UInt8])]

    init() { keys = Key.allCases.map { ($0, Array($0.rawValue.utf8)) } }

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

import Foundation
import LocatedYAML

/// The keys one kind of mapping may have, each with a slot number, found from a key's length and
/// first byte with at most a comparison or two: checking a mapping's keys against a list, then
/// looking up each field by name, had been most of the cost of decoding a connection.
///
/// A class: every mapping read holds its set, and one reference is retained where five arrays were.
final class KeySet: Sendable {
    /// The keys, in the order messages list them.
    let names: [String]
    /// The keys' UTF-8, one after another, and where each starts (one more entry for the end).
    private let utf8: [UInt8]
    private let starts: [Int]
    /// The first slot of each hash bucket, or -1.
    private let heads: [Int8]
    /// The next slot in the same bucket, or -1.
    private let chain: [Int8]

    init(_ names: [String]) {
        precondition(names.count <= Self.maxCount, "too many keys for a KeySet")
        self.names = names
        var heads = [Int8](repeating: -1, count: 64), chain = [Int8](repeating: -1, count: names.count)
        for slot in names.indices.reversed() {
            let b = Self.bucket(names[slot].utf8.count, names[slot].utf8.first ?? 0)
            chain[slot] = heads[b]
            heads[b] = Int8(slot)
        }
        self.heads = heads
        self.chain = chain
        utf8 = names.flatMap(\.utf8)
        starts = names.reduce(into: [0]) { $0.append($0.last! + $1.utf8.count) }
    }

    var count: Int { names.count }

    /// The slot of a key written in a file, or `nil` for a key not in the set.
    @inline(__always)
    func slot(of key: YAMLKeyText) -> Int? {
        var slot = Int(heads[Self.bucket(key.utf8Count, key.firstByte)])
        while slot >= 0 {
            let matches = utf8.withUnsafeBufferPointer {
                key.is(UnsafeBufferPointer(rebasing: $0[starts[slot]..<starts[slot + 1]]))
            }
            if matches { return slot }
            slot = Int(chain[slot])
        }
        return nil
    }

    /// Most keys a set may have: ``Fields`` keeps a position per key inline, not in an array.
    static let maxCount = 32

    /// The slot of a key the decoder asks for, or `nil` for a key not in the set. A static string:
    /// its length and first byte are at hand, where a `String`'s had to be taken out of it.
    @inline(__always)
    func slot(of name: StaticString) -> Int? {
        let count = name.utf8CodeUnitCount
        let p = name.utf8Start
        var slot = Int(heads[Self.bucket(count, count > 0 ? p[0] : 0)])
        while slot >= 0 {
            let start = starts[slot]
            if starts[slot + 1] - start == count,
               utf8.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, p, count) == 0 }) {
                return slot
            }
            slot = Int(chain[slot])
        }
        return nil
    }

    @inline(__always)
    private static func bucket(_ count: Int, _ first: UInt8) -> Int { (count &* 7 &+ Int(first)) & 63 }
}

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
    /// The slot of each key the decoder asks for, by ``knownHash(_:_:seed:)`` under ``seed``, which no
    /// two keys of the set share; -1 elsewhere. A seed of 0: none was found, and ``heads`` are searched.
    private let slotByHash: [Int8]
    private let seed: UInt64

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
        (seed, slotByHash) = Self.perfectHash(names)
    }

    /// A seed under which no two of `names` share a ``knownHash(_:_:seed:)``, and the slot of each hash.
    private static func perfectHash(_ names: [String]) -> (UInt64, [Int8]) {
        for attempt in 0..<1000 as Range<UInt64> {
            let seed = 0x9E37_79B9_7F4A_7C15 &+ attempt &* 0x1000_0000_0002 | 1
            var table = [Int8](repeating: -1, count: 256)
            let clash = names.indices.contains { slot in
                var name = names[slot]
                let h = name.withUTF8 { knownHash($0.baseAddress!, $0.count, seed: seed) }
                if table[h] >= 0 { return true }
                table[h] = Int8(slot)
                return false
            }
            if !clash { return (seed, table) }
        }
        return (0, [])
    }

    /// A hash of a key's length and its first, middle and last byte, in 0..<256.
    @inline(__always)
    private static func knownHash(_ p: UnsafePointer<UInt8>, _ count: Int, seed: UInt64) -> Int {
        guard count > 0 else { return 0 }
        let x = UInt64(truncatingIfNeeded: count) | UInt64(p[0]) << 16 | UInt64(p[count >> 1]) << 24
            | UInt64(p[count - 1]) << 32
        return Int(truncatingIfNeeded: (x &* seed) >> 56)
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

    /// Whether each key has a hash of its own (else keys are found by comparing them).
    var hasPerfectHash: Bool { seed != 0 }

    /// The slot of a key the decoder asks for, which must be one of the set's: by its hash, which no
    /// two of the set's keys share, and its length, without comparing bytes (debug builds do). A key
    /// not in the set stops the process rather than read another key's value.
    @inline(__always)
    func slot(ofKnown name: StaticString) -> Int {
        let count = name.utf8CodeUnitCount
        guard seed != 0 else { return slot(searching: name) }
        let slot = Int(slotByHash[Self.knownHash(name.utf8Start, count, seed: seed)])
        precondition(slot >= 0 && starts[slot + 1] - starts[slot] == count, "\(name) is not a key of \(names)")
        assert(names[slot] == name.description, "\(name) is not a key of \(names)")
        return slot
    }

    /// The slot of a key of the set, found by its bucket and compared byte for byte.
    private func slot(searching name: StaticString) -> Int {
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
        preconditionFailure("\(name) is not a key of \(names)")
    }

    @inline(__always)
    private static func bucket(_ count: Int, _ first: UInt8) -> Int { (count &* 7 &+ Int(first)) & 63 }
}

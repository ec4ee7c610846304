import Foundation
import VPNCrypto

/// The part of a spec's canonical JSON that is not its values: the keys with the punctuation
/// around them, as pieces — `{"cgw_id":`, `,"connections[0].name":`, …, `}` — between which the
/// values go. Specs with the same attributes set have the same layout, and a state's specs have
/// only a few combinations of attributes, so the specs a reader keeps share them: the keys are
/// about half of a spec's bytes.
final class SpecLayout: Sendable {
    /// The pieces one after another.
    let text: [UInt8]
    /// Where each piece of ``text`` ends: one more than there are values.
    let ends: [UInt16]

    init(text: [UInt8], ends: [UInt16]) {
        self.text = text
        self.ends = ends
    }

    /// The number of values (members of the object).
    var valueCount: Int { ends.count - 1 }

    /// Whether this is the layout of `canonical` without the values at `valueBounds` (a start and
    /// an end offset per value), which take `valuesSize` bytes.
    func `is`(_ canonical: UnsafeBufferPointer<UInt8>, without valueBounds: UnsafeBufferPointer<UInt32>,
              valuesSize: Int) -> Bool {
        let valueCount = valueBounds.count / 2
        guard valueCount == self.valueCount, text.count == canonical.count - valuesSize else {
            return false
        }
        return text.withUnsafeBufferPointer { t in
            var from = 0
            for k in 0...valueCount {
                let to = k < valueCount ? Int(valueBounds[2 * k]) : canonical.count
                let piece = self.piece(k)
                guard piece.count == to - from,
                      memcmp(t.baseAddress! + piece.lowerBound, canonical.baseAddress! + from, piece.count) == 0 else {
                    return false
                }
                if k < valueCount { from = Int(valueBounds[2 * k + 1]) }
            }
            return true
        }
    }

    /// Where piece `k` lies in ``text``.
    func piece(_ k: Int) -> Range<Int> { (k == 0 ? 0 : Int(ends[k - 1]))..<Int(ends[k]) }
}

/// A spec held as a shared ``SpecLayout`` and its own values, with the digest its reader checked:
/// what a state keeps of each pair's spec (about half the bytes of the canonical JSON).
struct CompactSpec: Sendable {
    /// The keys and punctuation.
    let layout: SpecLayout
    /// The SHA-256 of the canonical bytes (32 bytes), then where each value ends (little-endian
    /// `UInt16`s, counted from the first value), then the values one after another.
    let buffer: [UInt8]

    private var valuesStart: Int { 32 + 2 * layout.valueCount }

    /// The length of the canonical JSON.
    var count: Int { layout.text.count + buffer.count - valuesStart }

    /// Where value `k` ends, counted from the first value.
    private func valueEnd(_ k: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        Int(b[32 + 2 * k]) | Int(b[33 + 2 * k]) << 8
    }

    /// Calls `body` with each run of the canonical bytes in order: piece, value, piece, …, piece.
    /// Stops, returning `false`, when `body` does.
    func forEachRun(_ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        layout.text.withUnsafeBufferPointer { t in
            buffer.withUnsafeBufferPointer { b in
                let values = valuesStart
                var valueFrom = 0
                for k in 0...layout.valueCount {
                    guard body(UnsafeBufferPointer(rebasing: t[layout.piece(k)])) else { return false }
                    guard k < layout.valueCount else { break }
                    let valueTo = valueEnd(k, b)
                    let value = UnsafeBufferPointer(rebasing: b[(values + valueFrom)..<(values + valueTo)])
                    guard body(value) else { return false }
                    valueFrom = valueTo
                }
                return true
            }
        }
    }

    /// The canonical JSON, put back together.
    var canonical: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { out, n in
            var at = 0
            _ = forEachRun { run in
                if let from = run.baseAddress { (out.baseAddress! + at).initialize(from: from, count: run.count) }
                at += run.count
                return true
            }
            n = at
        }
    }

    /// Whether the canonical JSON is `bytes`.
    func isCanonical(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == count else { return false }
        var at = 0
        return forEachRun { run in
            defer { at += run.count }
            return run.isEmpty || memcmp(run.baseAddress!, bytes.baseAddress! + at, run.count) == 0
        }
    }

    /// The digest of the canonical JSON.
    var digest: SpecDigest {
        SpecDigest(rawValue: "sha256:" + Hex.encode(buffer[..<32]))
    }

    /// Whether `other` has the same bytes (cheaply when it shares the layout).
    func sameBytes(as other: CompactSpec) -> Bool {
        if layout === other.layout { return buffer == other.buffer }
        return other.canonical.withUnsafeBufferPointer { isCanonical($0) }
    }
}

/// The layouts a reader has met, so that the specs it keeps share them; and the splitting of a
/// spec's canonical JSON into layout and values.
struct SpecLayouts {
    /// The layouts used last, checked first (a state's specs come in few layouts, and a gateway's
    /// pairs, adjacent in the file, are alike), then all of them by their pieces.
    private var recent: [SpecLayout] = []
    private var next = 0
    private var all: [LayoutKey: SpecLayout] = [:]
    private static let recentCount = 8

    private struct LayoutKey: Hashable {
        var text: [UInt8]
        var ends: [UInt16]

        func hash(into hasher: inout Hasher) {
            text.withUnsafeBytes { hasher.combine(bytes: $0) }
            ends.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// `canonical`, the canonical JSON of an object whose members' values lie at `valueBounds` (a
    /// start and an end offset per member, as ``JSONScanner/canonicalContainer(into:valueBounds:)``
    /// notes them), as a compact spec with `digest` (its SHA-256, 32 bytes); `nil` when it is too
    /// large for 16-bit offsets, for the caller to keep whole.
    mutating func compact(_ canonical: UnsafeBufferPointer<UInt8>, valueBounds: UnsafeBufferPointer<UInt32>,
                          digest: UnsafeRawBufferPointer) -> CompactSpec? {
        let n = canonical.count, valueCount = valueBounds.count / 2
        guard digest.count == 32, n <= Int(UInt16.max), valueBounds.count % 2 == 0, let text = canonical.baseAddress
        else { return nil }
        var valuesSize = 0
        for k in 0..<valueCount {
            let (start, end) = (Int(valueBounds[2 * k]), Int(valueBounds[2 * k + 1]))
            guard start <= end, end <= n, k == 0 || Int(valueBounds[2 * k - 1]) <= start else { return nil }
            valuesSize += end - start
        }
        let layout = self.layout(canonical, valueBounds, valuesSize: valuesSize)
        let size = 32 + 2 * valueCount + valuesSize
        let buffer = [UInt8](unsafeUninitializedCapacity: size) { out, count in
            let base = out.baseAddress!
            base.initialize(from: digest.bindMemory(to: UInt8.self).baseAddress!, count: 32)
            var at = 32 + 2 * valueCount
            for k in 0..<valueCount {
                let (start, end) = (Int(valueBounds[2 * k]), Int(valueBounds[2 * k + 1]))
                (base + at).initialize(from: text + start, count: end - start)
                at += end - start
                let valueEnd = at - 32 - 2 * valueCount
                base[32 + 2 * k] = UInt8(truncatingIfNeeded: valueEnd)
                base[33 + 2 * k] = UInt8(truncatingIfNeeded: valueEnd >> 8)
            }
            count = size
        }
        return CompactSpec(layout: layout, buffer: buffer)
    }

    /// The layout of `canonical` without the values at `valueBounds` (`valuesSize` bytes): one met
    /// before, or a new one.
    private mutating func layout(_ canonical: UnsafeBufferPointer<UInt8>, _ valueBounds: UnsafeBufferPointer<UInt32>,
                                 valuesSize: Int) -> SpecLayout {
        for layout in recent where layout.is(canonical, without: valueBounds, valuesSize: valuesSize) { return layout }
        var text: [UInt8] = [], ends: [UInt16] = []
        text.reserveCapacity(canonical.count)
        ends.reserveCapacity(valueBounds.count / 2 + 1)
        var from = 0
        for k in 0...(valueBounds.count / 2) {
            let to = k < valueBounds.count / 2 ? Int(valueBounds[2 * k]) : canonical.count
            text.append(contentsOf: UnsafeBufferPointer(rebasing: canonical[from..<to]))
            ends.append(UInt16(text.count))
            if k < valueBounds.count / 2 { from = Int(valueBounds[2 * k + 1]) }
        }
        let key = LayoutKey(text: text, ends: ends)
        let layout: SpecLayout
        if let known = all[key] {
            layout = known
        } else {
            layout = SpecLayout(text: text.sizedCopy(), ends: ends.sizedCopy())
            all[key] = layout
        }
        if recent.count < Self.recentCount {
            recent.append(layout)
        } else {
            recent[next] = layout
            next = (next + 1) % Self.recentCount
        }
        return layout
    }
}

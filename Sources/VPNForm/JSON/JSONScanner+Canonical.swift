import Foundation

extension JSONScanner {
    /// Reads the next value, an object or array, when it is canonical JSON (as ``JSONWriter``'s
    /// compact style writes it) with whitespace between its tokens, appending it without that
    /// whitespace to `out`. Returns `false`, with `out` and ``offset`` unspecified, for anything
    /// else: a syntax error, or valid JSON that is not canonical (keys out of order or repeated,
    /// escapes other than `\" \\ \n \r \t \b \f`, numbers that are not plain integers of at most
    /// 18 digits, nesting deeper than 64).
    ///
    /// This is the state reader's fast path, and it only skips work: whatever it accepts is valid
    /// JSON that ``value(depth:)`` reads and that ``JSONWriter`` writes back to the same bytes, so
    /// a caller may trust the bytes once their digest matches. On `false` the caller reads the
    /// text again with ``value(depth:)``, which reports where it goes wrong.
    mutating func canonicalContainer(into out: inout [UInt8]) -> Bool {
        var unused: [UInt32] = []
        return canonicalContainer(into: &out, valueBounds: &unused, recording: false)
    }

    /// ``canonicalContainer(into:)``, also noting where in `out` each member's value of an object
    /// lies (emptied first; a start and an end offset per member, in order; nothing for an array):
    /// what a state reader needs to keep a spec compactly (``SpecLayouts``) without reading it again.
    mutating func canonicalContainer(into out: inout [UInt8], valueBounds: inout [UInt32]) -> Bool {
        valueBounds.removeAll(keepingCapacity: true)
        return canonicalContainer(into: &out, valueBounds: &valueBounds, recording: true)
    }

    private mutating func canonicalContainer(into out: inout [UInt8], valueBounds: inout [UInt32],
                                             recording: Bool) -> Bool {
        skipSpace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "{") || bytes[offset] == UInt8(ascii: "[") else {
            return false
        }
        guard let base = bytes.baseAddress else { return false }
        // At most 64 open containers, so at most 64 open objects' last keys.
        return withUnsafeTemporaryAllocation(of: (start: Int, end: Int).self, capacity: 64) { lastKeys in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.stageSize) { stage in
                canonicalContainer(base, into: &out, lastKeys: lastKeys.baseAddress!, stage: stage.baseAddress!,
                                   valueBounds: &valueBounds, recording: recording)
            }
        }
    }

    /// ``canonicalContainer(into:)`` from ``offset``, an opening bracket. The text between
    /// whitespace is copied to `out` a run at a time, when whitespace (or the end) closes the run.
    private mutating func canonicalContainer(_ base: UnsafePointer<UInt8>, into out: inout [UInt8],
                                             lastKeys: UnsafeMutablePointer<(start: Int, end: Int)>,
                                             stage: UnsafeMutablePointer<UInt8>,
                                             valueBounds: inout [UInt32], recording: Bool) -> Bool {
        // Runs are gathered in `stage` and appended to `out` a few kilobytes at a time: a spec laid
        // out one attribute a line has two runs an attribute, and an append costs more than a copy.
        var staged = 0
        func flush() {
            if staged > 0 { out.append(contentsOf: UnsafeBufferPointer(start: stage, count: staged)) }
            staged = 0
        }
        func put(_ from: Int, _ count: Int) {
            if staged + count > Self.stageSize {
                flush()
                if count > Self.stageSize {
                    out.append(contentsOf: UnsafeBufferPointer(start: base + from, count: count))
                    return
                }
            }
            (stage + staged).update(from: base + from, count: count)
            staged += count
        }
        let end = bytes.count
        // Open containers as bits (1 for an object); for each open object, where its last key lies
        // in the text (start, end), so that the next key can be checked to sort after it.
        var kinds: UInt64 = 0, depth = 0, objects = 0
        var want = Want.value
        var i = offset, run = offset
        defer { offset = i }
        while true {
            if i < end, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 {
                if i > run { put(run, i - run) }
                i = Self.endOfSpace(bytes, from: i + 1)
                run = i
            }
            guard i < end else { return false }
            let b = base[i]
            switch want {
            case .value, .valueOrClose:
                if b == UInt8(ascii: "]"), want == .valueOrClose { break }
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard depth < 64 else { return false }
                    let isObject = b == UInt8(ascii: "{")
                    kinds = kinds << 1 | (isObject ? 1 : 0)
                    depth += 1
                    if isObject {
                        lastKeys[objects] = (-1, -1)
                        objects += 1
                    }
                    i += 1
                    want = isObject ? .keyOrClose : .valueOrClose
                    continue
                case UInt8(ascii: "\""):
                    guard Self.canonicalString(base, &i, end) != nil else { return false }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard Self.canonicalInteger(base, &i, end) else { return false }
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    guard Self.literal(base, &i, end) else { return false }
                default:
                    return false
                }
                want = .commaOrClose
                continue
            case .key, .keyOrClose:
                if b == UInt8(ascii: "}"), want == .keyOrClose { break }
                guard b == UInt8(ascii: "\""), let key = Self.canonicalString(base, &i, end), !key.escaped else {
                    return false
                }
                // Keys strictly ascending by their bytes: in canonical order, and none repeated.
                let last = lastKeys[objects - 1]
                if last.start >= 0 {
                    let lastCount = last.end - last.start, thisCount = key.end - key.start
                    let order = memcmp(base + last.start, base + key.start, min(lastCount, thisCount))
                    guard order < 0 || (order == 0 && lastCount < thisCount) else { return false }
                }
                lastKeys[objects - 1] = (key.start, key.end)
                want = .colon
                continue
            case .colon:
                guard b == UInt8(ascii: ":") else { return false }
                i += 1
                // The staged text and the text from `run` are not yet in `out`: byte `i` goes to
                // `out.count + staged + i - run`.
                if recording, depth == 1 {
                    valueBounds.append(UInt32(truncatingIfNeeded: out.count + staged + i - run))
                }
                want = .value
                continue
            case .commaOrClose:
                let inObject = kinds & 1 == 1
                if recording, depth == 1, inObject {
                    valueBounds.append(UInt32(truncatingIfNeeded: out.count + staged + i - run))
                }
                if b == UInt8(ascii: ",") {
                    i += 1
                    want = inObject ? .key : .value
                    continue
                }
                guard b == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return false }
            }
            // A closing bracket that matches the open container.
            if kinds & 1 == 1 { objects -= 1 }
            kinds >>= 1
            depth -= 1
            i += 1
            if depth == 0 {
                put(run, i - run)
                flush()
                return true
            }
            want = .commaOrClose
        }
    }

    /// The bytes gathered before an append to the output (few enough to be staged on the stack).
    private static let stageSize = 1024

    /// What the canonical reader expects next.
    private enum Want { case value, valueOrClose, key, keyOrClose, colon, commaOrClose }

    /// A string at `i` (its opening quote), when it is valid UTF-8 with only the escapes the
    /// canonical writer uses; its body's place in the text.
    private static func canonicalString(_ base: UnsafePointer<UInt8>, _ i: inout Int,
                                        _ end: Int) -> (start: Int, end: Int, escaped: Bool)? {
        let from = i
        var j = i + 1, escaped = false
        scan: while j < end {
            // Eight bytes at a time to the first quote, backslash, control or non-ASCII byte.
            while j + 8 <= end {
                let special = specialBytes(UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                guard special == 0 else { j += special.trailingZeroBitCount >> 3; break }
                j += 8
            }
            guard j < end else { break }
            let b = base[j]
            switch b {
            case UInt8(ascii: "\""):
                break scan
            case UInt8(ascii: "\\"):
                guard j + 1 < end else { return nil }
                switch base[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "r"),
                     UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "f"): j += 2
                default: return nil  // `\/`, `\u…`: valid or not, the slow path decides
                }
                escaped = true
            case 0..<0x20:
                return nil
            case 0x20..<0x80:
                j += 1
            default:
                guard let n = utf8SequenceLength(base, j, end) else { return nil }
                j += n
            }
        }
        guard j < end else { return nil }
        i = j + 1
        return (from + 1, j, escaped)
    }

    /// The high bits of the bytes of `w` (eight bytes loaded little-endian) that may be `"`, `\`,
    /// below 0x20 or above 0x7F, by the usual SWAR tests (a byte is zero after an XOR, or less than
    /// 0x20), gathered without a branch per test. Zero exactly when no byte is; otherwise the
    /// lowest bit set is that of the first such byte (a test's borrow runs only upwards from a
    /// byte that passes it, so bytes above one may be marked too), and
    /// `trailingZeroBitCount >> 3` is its index.
    #if _endian(big)
    #error("the byte scans (specialBytes, skipping spaces, CompactIDText's packing) load words little-endian")
    #endif
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = w ^ 0x2222_2222_2222_2222, backslashes = w ^ 0x5C5C_5C5C_5C5C_5C5C
        let found = ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
            | ((w &- 0x2020_2020_2020_2020) & ~w) | w
        return found & highs
    }

    /// The length of the well-formed UTF-8 sequence that starts with a non-ASCII byte at `j`
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or `nil`.
    private static func utf8SequenceLength(_ base: UnsafePointer<UInt8>, _ j: Int, _ end: Int) -> Int? {
        let lead = base[j]
        let n: Int, secondLow: UInt8, secondHigh: UInt8
        switch lead {
        case 0xC2...0xDF: (n, secondLow, secondHigh) = (2, 0x80, 0xBF)
        case 0xE0: (n, secondLow, secondHigh) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (n, secondLow, secondHigh) = (3, 0x80, 0xBF)
        case 0xED: (n, secondLow, secondHigh) = (3, 0x80, 0x9F)
        case 0xF0: (n, secondLow, secondHigh) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (n, secondLow, secondHigh) = (4, 0x80, 0xBF)
        case 0xF4: (n, secondLow, secondHigh) = (4, 0x80, 0x8F)
        default: return nil
        }
        guard j + n <= end, base[j + 1] >= secondLow, base[j + 1] <= secondHigh else { return nil }
        for k in 2..<n where base[j + k] & 0xC0 != 0x80 { return nil }
        return n
    }

    /// An integer as `String(Int)` writes it: no `-0`, no leading zero, no fraction or exponent,
    /// at most 18 digits (so that it fits).
    private static func canonicalInteger(_ base: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Bool {
        let from = i
        var j = i
        if base[j] == UInt8(ascii: "-") { j += 1 }
        let digitsFrom = j
        while j < end, base[j] >= UInt8(ascii: "0"), base[j] <= UInt8(ascii: "9") { j += 1 }
        let digits = j - digitsFrom
        guard digits > 0, digits <= 18 else { return false }
        if base[digitsFrom] == UInt8(ascii: "0") {
            guard digits == 1, digitsFrom == from else { return false }
        }
        // A fraction or an exponent is not canonical; the byte after is checked as the next token.
        i = j
        return true
    }

    /// `true`, `false` or `null`.
    private static func literal(_ base: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Bool {
        for word in ["true", "false", "null"] as [StaticString] {
            let n = word.utf8CodeUnitCount
            if i + n <= end, memcmp(base + i, word.utf8Start, n) == 0 {
                i += n
                return true
            }
        }
        return false
    }
}

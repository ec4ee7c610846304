import Foundation
import LocatedYAML

/// A problem in JSON text (its syntax, or what a schema expects of it), at a byte offset.
struct JSONReadError: Error {
    /// Where, in bytes from the start of the text.
    var offset: Int
    /// What is wrong.
    var message: String
}

/// A strict JSON (RFC 8259) reader over UTF-8 bytes, driven token by token by a reader that knows
/// the document's schema, so that reading allocates only the values it keeps.
///
/// The bytes must outlive the scanner (it is used inside `withUnsafeBufferPointer`).
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    var offset: Int
    /// Containers nest at most this deep.
    static let maxDepth = 256

    init(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    // MARK: Bytes

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    @inline(__always)
    mutating func skipSpace() {
        // Most tokens follow another directly.
        guard offset < bytes.count, bytes[offset] <= 0x20 else { return }
        offset = Self.endOfSpace(bytes, from: offset)
    }

    /// The index of the first byte at or after `i` that is not JSON whitespace (`bytes.count` if
    /// none): runs of spaces, as indentation has, are skipped eight bytes at a time.
    @inline(__always)
    static func endOfSpace(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        var i = i
        let end = bytes.count
        while i < end {
            let b = bytes[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return i }
            i += 1
            if let base = UnsafeRawPointer(bytes.baseAddress) {
                while i + 8 <= end {
                    let notSpaces = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x2020_2020_2020_2020
                    // The first byte that is not a space (little-endian: the lowest nonzero byte).
                    guard notSpaces == 0 else { i += notSpaces.trailingZeroBitCount >> 3; break }
                    i += 8
                }
            }
        }
        return i
    }

    /// The next byte that is not whitespace (not consumed); `nil` at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipSpace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    /// A syntax error at the next byte: what was expected and what is there instead.
    mutating func unexpected(_ expected: String) -> JSONReadError {
        guard let b = peek() else { return JSONReadError(offset: offset, message: "syntax error: expected \(expected), found the end of the file") }
        let found = b >= 0x21 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "byte 0x%02X", b)
        return JSONReadError(offset: offset, message: "syntax error: expected \(expected), found \(found)")
    }

    mutating func expect(_ c: UInt8) throws(JSONReadError) {
        guard peek() == c else { throw unexpected("'\(Character(Unicode.Scalar(c)))'") }
        offset += 1
    }

    /// Fails unless only whitespace is left.
    mutating func expectEnd() throws(JSONReadError) {
        if peek() != nil { throw unexpected("the end of the file") }
    }

    // MARK: Containers

    /// The key of the object's next member (the `:` consumed) and the key's offset, or `nil` once the
    /// closing `}` is consumed. Call after `expect("{")` with `first` set.
    mutating func nextKey(_ first: inout Bool) throws(JSONReadError) -> (key: String, at: Int)? {
        guard try startKey(&first) else { return nil }
        let at = offset
        let key = try string()
        try expect(UInt8(ascii: ":"))
        return (key, at)
    }

    /// Whether the object has another member, whose key's opening quote is then next (the `,`
    /// before it consumed), or `false` once the closing `}` is consumed.
    mutating func startKey(_ first: inout Bool) throws(JSONReadError) -> Bool {
        if first {
            first = false
            if peek() == UInt8(ascii: "}") { offset += 1; return false }
        } else {
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return false
            default: throw unexpected("',' or '}'")
            }
        }
        guard peek() == Self.quote else { throw unexpected("a key in double quotes") }
        return true
    }

    /// Whether the array has another element (its `,` consumed), or `false` once the closing `]` is
    /// consumed. Call after `expect("[")` with `first` set.
    mutating func nextElement(_ first: inout Bool) throws(JSONReadError) -> Bool {
        if first {
            first = false
            if peek() == UInt8(ascii: "]") { offset += 1; return false }
            return true
        }
        switch peek() {
        case UInt8(ascii: ","): offset += 1; return true
        case UInt8(ascii: "]"): offset += 1; return false
        default: throw unexpected("',' or ']'")
        }
    }

    // MARK: Scalars

    /// A string value, unescaped and checked to be UTF-8.
    mutating func string() throws(JSONReadError) -> String {
        let (raw, start, plain, ascii) = try rawString()
        return try decode(raw, at: start, plain: plain, ascii: ascii)
    }

    /// ``string()``, but `previous` itself when the text spells it without escapes, else the new
    /// value, which becomes `previous`: a value that repeats from pair to pair (a gateway's id, its
    /// IPs) is then stored once.
    mutating func string(reusing previous: inout String) throws(JSONReadError) -> String {
        let (raw, start, plain, ascii) = try rawString()
        if plain {
            let same = previous.utf8.withContiguousStorageIfAvailable { p in
                p.count == raw.count && (p.isEmpty || memcmp(p.baseAddress!, raw.baseAddress!, p.count) == 0)
            }
            if same == true { return previous }
        }
        previous = try decode(raw, at: start, plain: plain, ascii: ascii)
        return previous
    }

    /// The body of the string at the next token, where it starts, whether it has no escapes and
    /// whether it is ASCII; control characters refused.
    mutating func rawString() throws(JSONReadError)
        -> (UnsafeBufferPointer<UInt8>, Int, plain: Bool, ascii: Bool) {
        guard peek() == Self.quote else { throw unexpected("a string") }
        let start = offset + 1
        var i = start, plain = true, ascii = true
        while true {
            // Eight bytes at a time to the first quote, backslash, control or non-ASCII byte.
            if let base = UnsafeRawPointer(bytes.baseAddress) {
                while i + 8 <= bytes.count {
                    let special = Self.specialBytes(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    guard special == 0 else { i += special.trailingZeroBitCount >> 3; break }
                    i += 8
                }
            }
            guard i < bytes.count else { throw JSONReadError(offset: offset, message: "syntax error: a string is not closed") }
            let b = bytes[i]
            if b == Self.quote { break }
            if b == Self.backslash { plain = false; i += 2; continue }
            if b < 0x20 { throw JSONReadError(offset: i, message: "syntax error: a control character in a string (escape it)") }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        offset = i + 1
        return (UnsafeBufferPointer(rebasing: bytes[start..<i]), start, plain, ascii)
    }

    /// A string's body as text.
    func decode(_ raw: UnsafeBufferPointer<UInt8>, at start: Int, plain: Bool,
                        ascii: Bool) throws(JSONReadError) -> String {
        // ASCII is valid UTF-8 as it stands; anything else is checked.
        if plain && ascii { return String(decoding: raw, as: UTF8.self) }
        if plain {
            guard let s = String(validating: raw, as: UTF8.self) else { throw JSONReadError(offset: start, message: "a string is not valid UTF-8") }
            return s
        }
        return try unescape(raw, at: start)
    }

    private func unescape(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONReadError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws(JSONReadError) -> UInt32 {
            guard at + 4 <= raw.count else { throw JSONReadError(offset: start + at, message: "syntax error: \\u needs four hex digits") }
            var v: UInt32 = 0
            for b in raw[at..<at + 4] {
                guard let d = Self.hexValue(b) else { throw JSONReadError(offset: start + at, message: "syntax error: \\u needs four hex digits") }
                v = v << 4 | d
            }
            return v
        }
        while i < raw.count {
            let b = raw[i]
            guard b == Self.backslash else { out.append(b); i += 1; continue }
            guard i + 1 < raw.count else { throw JSONReadError(offset: start + i, message: "syntax error: a lone backslash") }
            switch raw[i + 1] {
            case Self.quote: out.append(Self.quote)
            case Self.backslash: out.append(Self.backslash)
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i + 2)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 3 < raw.count, raw[i + 2] == Self.backslash, raw[i + 3] == UInt8(ascii: "u") {
                    let low = try hex4(i + 4)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                guard let u = Unicode.Scalar(scalar) else { throw JSONReadError(offset: start + i - 4, message: "syntax error: \\u escapes a lone surrogate") }
                out.append(contentsOf: String(Character(u)).utf8)
            default:
                throw JSONReadError(offset: start + i, message: "syntax error: unknown escape \\\(Character(Unicode.Scalar(raw[i + 1])))")
            }
            i += 2
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw JSONReadError(offset: start, message: "a string is not valid UTF-8") }
        return s
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A number: its value when it is an integer that fits, `nil` when it has a fraction or an
    /// exponent or does not fit.
    mutating func number() throws(JSONReadError) -> Int? {
        skipSpace()
        let start = offset
        var i = offset
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - from
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        let n = digits()
        guard n > 0 else { throw unexpected("a value") }
        guard n == 1 || bytes[intStart] != UInt8(ascii: "0") else { throw JSONReadError(offset: intStart, message: "syntax error: a number has a leading zero") }
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw JSONReadError(offset: i, message: "syntax error: expected digits after '.'") }
            integral = false
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw JSONReadError(offset: i, message: "syntax error: expected digits in an exponent") }
            integral = false
        }
        offset = i
        guard integral else { return nil }
        return Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
    }

    /// Consumes `word` (`true`, `false` or `null`) if it is next.
    mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count,
              memcmp(bytes.baseAddress! + offset, word.utf8Start, n) == 0 else { return false }
        offset += n
        return true
    }

    // MARK: Whole values

    /// The next value as a ``JSONValue``. Numbers must be integers and keys unique.
    mutating func value(depth: Int = 0) throws(JSONReadError) -> JSONValue {
        guard depth < Self.maxDepth else { throw JSONReadError(offset: offset, message: "values nest more than \(Self.maxDepth) deep") }
        switch peek() {
        case Self.quote:
            return .string(try string())
        case UInt8(ascii: "{"):
            offset += 1
            var members: [String: JSONValue] = [:], first = true
            while let (key, at) = try nextKey(&first) {
                guard members[key] == nil else { throw JSONReadError(offset: at, message: "duplicate key \"\(key)\"") }
                members[key] = try value(depth: depth + 1)
            }
            return .object(members)
        case UInt8(ascii: "["):
            offset += 1
            var items: [JSONValue] = [], first = true
            while try nextElement(&first) { items.append(try value(depth: depth + 1)) }
            return .array(items)
        case UInt8(ascii: "t") where literal("true"): return .bool(true)
        case UInt8(ascii: "f") where literal("false"): return .bool(false)
        case UInt8(ascii: "n") where literal("null"): return .null
        case let b? where b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")):
            let at = offset
            guard let n = try number() else { throw JSONReadError(offset: at, message: "expected an integer") }
            return .int(n)
        default:
            throw unexpected("a value")
        }
    }

    /// Skips the next value, checking it is RFC 8259 JSON (any number; keys may repeat), and
    /// returns what kind of value it was, for a message such as "the top level is an array".
    @discardableResult
    mutating func skipValue(depth: Int = 0) throws(JSONReadError) -> String {
        guard depth < Self.maxDepth else {
            throw JSONReadError(offset: offset, message: "values nest more than \(Self.maxDepth) deep")
        }
        switch peek() {
        case Self.quote:
            _ = try string()
            return "a string"
        case UInt8(ascii: "{"):
            offset += 1
            var first = true
            while try nextKey(&first) != nil { try skipValue(depth: depth + 1) }
            return "an object"
        case UInt8(ascii: "["):
            offset += 1
            var first = true
            while try nextElement(&first) { try skipValue(depth: depth + 1) }
            return "an array"
        case UInt8(ascii: "t") where literal("true"): return "a boolean"
        case UInt8(ascii: "f") where literal("false"): return "a boolean"
        case UInt8(ascii: "n") where literal("null"): return "null"
        case let b? where b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")):
            _ = try number()
            return "a number"
        default:
            throw unexpected("a value")
        }
    }

    /// Fails unless the rest of the text is one JSON value that is not an object: then says what
    /// it is. For a document whose reader expects an object and finds something else, so that
    /// valid JSON of another shape gets "not a …" and anything else a located syntax error.
    mutating func notAnObject(_ what: String) throws(JSONReadError) -> JSONReadError {
        skipSpace()
        let at = offset
        let kind = try skipValue()
        try expectEnd()
        return JSONReadError(offset: at, message: "not a \(what): the top level is \(kind), not an object")
    }

    // MARK: Positions

    /// The line and column (in characters) of a byte offset in `bytes`.
    static func mark(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
        let end = min(offset, bytes.count)
        var line = 1, lineStart = 0
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let column = bytes[lineStart..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return Mark(line: line, column: column)
    }
}

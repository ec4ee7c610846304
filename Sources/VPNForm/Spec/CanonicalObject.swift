/// Writes a canonical JSON object member by member into a buffer of its own; the caller supplies
/// the keys in sorted order (debug builds check). A plan writes one for every desired pair, a few
/// dozen members each, so a member is a capacity check and a copy of its bytes, no more: room is
/// made once for its pieces (key, quote, body, quote), each then stored without a check.
struct CanonicalObject: ~Copyable {
    private var bytes: GrowableBytes
    private var members = 0
    #if DEBUG
    private var lastKey: [UInt8] = []
    #endif

    init(capacity: Int = 1024) {
        bytes = GrowableBytes(capacity: capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Empties the object, keeping its storage, to write another.
    mutating func reset() {
        bytes.removeAll()
        bytes.append(UInt8(ascii: "{"))
        members = 0
        #if DEBUG
        lastKey = []
        #endif
    }

    /// Closes the object; ``withBytes(_:)`` then sees the canonical JSON.
    mutating func close() { append(UInt8(ascii: "}")) }

    /// Calls `body` with what has been written.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withBytes(body)
    }

    /// Closes the object and returns its bytes, in storage of their own.
    mutating func finish() -> [UInt8] {
        close()
        return bytes.array
    }

    // MARK: Storage (room made once for several pieces, each then stored without a check)

    @inline(__always)
    private mutating func reserve(_ n: Int) { bytes.reserve(n) }

    @inline(__always)
    private mutating func put(_ byte: UInt8) { bytes.put(byte) }

    @inline(__always)
    private mutating func put(_ piece: UnsafeBufferPointer<UInt8>) { bytes.put(piece) }

    // MARK: Members

    /// `key` as ``key(written:)`` takes it: `,"KEY":`, escaped as ``JSONWriter`` escapes it. A
    /// writer of many objects with the same keys builds them once.
    static func written(key: String) -> [UInt8] {
        var w = JSONWriter(style: .compact)
        w.append(UInt8(ascii: ","))
        w.string(key)
        w.append(UInt8(ascii: ":"))
        return w.bytes
    }

    /// Starts a member whose key is `written` (``written(key:)``): a member is one copy of it, less
    /// the comma for the first.
    mutating func key(written: UnsafeBufferPointer<UInt8>) {
        append(members == 0 ? UnsafeBufferPointer(rebasing: written.dropFirst()) : written)
        members += 1
        #if DEBUG
        checkOrder(Array(written.dropFirst(2).dropLast(2)))
        #endif
    }

    /// Starts a member whose key is a literal that needs no escapes.
    mutating func key(_ key: StaticString) {
        let n = key.utf8CodeUnitCount
        reserve(n + 4)
        if members > 0 { put(UInt8(ascii: ",")) }
        members += 1
        put(UInt8(ascii: "\""))
        put(UnsafeBufferPointer(start: key.utf8Start, count: n))
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
        #if DEBUG
        checkOrder(Array(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)))
        #endif
    }

    mutating func string(_ key: StaticString, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func string(_ key: StaticString, _ value: some FieldEnum) {
        self.key(key)
        string(value)
    }

    mutating func int(_ key: StaticString, _ value: Int) {
        self.key(key)
        int(value)
    }

    // MARK: Values

    /// A quoted JSON string, escaped as ``JSONWriter`` escapes it.
    mutating func string(_ value: String) {
        let copied = Self.withUTF8(of: value) { utf8 in
            guard !JSONWriter.containsEscape(utf8) else { return false }
            reserve(utf8.count + 2)
            put(UInt8(ascii: "\""))
            put(utf8)
            put(UInt8(ascii: "\""))
            return true
        }
        if !copied { escaped(value, quoted: true) }
    }

    /// A field enum's value (`group16`), its raw value quoted and copied as it is: the API's
    /// spellings need no escape (`CanonicalObjectTests` checks every case; debug builds check here).
    mutating func string(_ value: some FieldEnum) {
        Self.withUTF8(of: value.rawValue) { utf8 in
            assert(!JSONWriter.containsEscape(utf8), "a field enum's raw value needs no escape")
            reserve(utf8.count + 2)
            put(UInt8(ascii: "\""))
            put(utf8)
            put(UInt8(ascii: "\""))
        }
    }

    /// What ``string(_:)`` writes between the quotes: escaping is byte by byte, so the bodies of
    /// parts written one after the other are the body of the whole.
    mutating func stringBody(_ value: String) {
        let copied = Self.withUTF8(of: value) { utf8 in
            guard !JSONWriter.containsEscape(utf8) else { return false }
            append(utf8)
            return true
        }
        if !copied { escaped(value, quoted: false) }
    }

    /// A string that needs escapes, as ``JSONWriter`` writes it, with or without its quotes.
    @inline(never)
    private mutating func escaped(_ value: String, quoted: Bool) {
        var w = JSONWriter(style: .compact)
        w.string(value)
        w.bytes.withUnsafeBufferPointer { bytes in
            append(quoted ? bytes : UnsafeBufferPointer(rebasing: bytes.dropFirst().dropLast()))
        }
    }

    /// Calls `body` with the UTF-8 of `s`, read in place (a native string's always is; a copy to
    /// make contiguous, as `String.withUTF8` takes, cost a retain and a release per value).
    @inline(__always)
    private static func withUTF8<R>(of s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var s = s
        return s.withUTF8(body)
    }

    /// A JSON integer, its digits stored straight into the buffer.
    mutating func int(_ value: Int) {
        var digits = 1, rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        reserve(digits + 1)
        if value < 0 { put(UInt8(ascii: "-")) }
        bytes.put(count: digits) { p in
            var v = value.magnitude, i = digits
            repeat {
                i -= 1
                p[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
        }
    }

    /// `["a","b"]`.
    mutating func stringArray(_ items: [Located<String>]) {
        append(UInt8(ascii: "["))
        for i in items.indices {
            if i > 0 { append(UInt8(ascii: ",")) }
            string(items[i].value)
        }
        append(UInt8(ascii: "]"))
    }

    /// `{"k":"v",…}`, the members in the order given (sorted, each key once: the caller's part).
    mutating func object(_ members: some Sequence<(String, String)>) {
        append(UInt8(ascii: "{"))
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            string(key)
            append(UInt8(ascii: ":"))
            string(value)
        }
        append(UInt8(ascii: "}"))
    }

    /// Raw bytes: punctuation, or a literal already in canonical form.
    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        put(bytes)
    }

    #if DEBUG
    private mutating func checkOrder(_ key: [UInt8]) {
        precondition(members == 1 || lastKey.lexicographicallyPrecedes(key), "spec keys out of order")
        lastKey = key
    }
    #endif
}

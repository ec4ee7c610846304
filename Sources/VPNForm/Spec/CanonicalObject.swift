/// Writes a canonical JSON object member by member into a buffer of its own; the caller supplies
/// the keys in sorted order (debug builds check). A plan writes one for every desired pair, a few
/// dozen members each, so a member is a capacity check and a copy of its bytes, no more.
struct CanonicalObject: ~Copyable {
    private var out: GrowableBytes
    private var members = 0
    #if DEBUG
    private var lastKey: [UInt8] = []
    #endif

    init(capacity: Int = 1024) {
        out = GrowableBytes(capacity: capacity)
        out.append(UInt8(ascii: "{"))
    }

    /// Empties the object, keeping its storage, to write another.
    mutating func reset() {
        out.removeAll()
        members = 0
        #if DEBUG
        lastKey = []
        #endif
        out.append(UInt8(ascii: "{"))
    }

    /// Closes the object; ``withBytes(_:)`` then sees the canonical JSON.
    mutating func close() { out.append(UInt8(ascii: "}")) }

    /// Calls `body` with what has been written.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try out.withBytes(body)
    }

    /// Closes the object and returns its bytes, in storage of their own.
    mutating func finish() -> [UInt8] {
        close()
        return out.array
    }

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
        out.append(members == 0 ? UnsafeBufferPointer(rebasing: written.dropFirst()) : written)
        members += 1
        #if DEBUG
        checkOrder(Array(written.dropFirst(2).dropLast(2)))
        #endif
    }

    /// Starts a member whose key is a literal that needs no escapes.
    mutating func key(_ key: StaticString) {
        out.append(members == 0 ? "\"" : ",\"")
        members += 1
        out.append(key)
        out.append("\":")
        #if DEBUG
        checkOrder(Array(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)))
        #endif
    }

    mutating func string(_ key: StaticString, _ value: String) {
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
        out.append(UInt8(ascii: "\""))
        stringBody(value)
        out.append(UInt8(ascii: "\""))
    }

    /// What ``string(_:)`` writes between the quotes: escaping is byte by byte, so the bodies of
    /// parts written one after the other are the body of the whole.
    mutating func stringBody(_ value: String) {
        var value = value
        let copied = value.withUTF8 { utf8 in
            guard !JSONWriter.containsEscape(utf8) else { return false }
            out.append(utf8)
            return true
        }
        if copied { return }
        var w = JSONWriter(style: .compact)
        w.string(value)
        w.bytes.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0.dropFirst().dropLast())) }
    }

    /// A JSON integer.
    mutating func int(_ value: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: an Int is at most 20 characters
        withUnsafeMutableBytes(of: &digits) { d in
            var v = value.magnitude, i = d.count
            repeat {
                i -= 1
                d[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            if value < 0 {
                i -= 1
                d[i] = UInt8(ascii: "-")
            }
            let digits = d.baseAddress!.assumingMemoryBound(to: UInt8.self) + i
            out.append(UnsafeBufferPointer(start: digits, count: d.count - i))
        }
    }

    /// `["a","b"]`.
    mutating func stringArray(_ items: [Located<String>]) {
        out.append(UInt8(ascii: "["))
        for i in items.indices {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(items[i].value)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `{"k":"v",…}`, the members in the order given (sorted, each key once: the caller's part).
    mutating func object(_ members: some Sequence<(String, String)>) {
        out.append(UInt8(ascii: "{"))
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(key)
            out.append(UInt8(ascii: ":"))
            string(value)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Raw bytes: punctuation, or a literal already in canonical form.
    mutating func append(_ literal: StaticString) { out.append(literal) }

    mutating func append(_ byte: UInt8) { out.append(byte) }

    #if DEBUG
    private mutating func checkOrder(_ key: [UInt8]) {
        precondition(members == 1 || lastKey.lexicographicallyPrecedes(key), "spec keys out of order")
        lastKey = key
    }
    #endif
}

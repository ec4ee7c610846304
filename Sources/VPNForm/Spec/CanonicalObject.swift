import Foundation

/// A spec key as canonical JSON writes it before a value: `"cgw_id":`, the bytes copied as they are.
struct SpecKey: Sendable, Equatable {
    /// The key.
    let name: String
    /// `"` + name + `":`.
    let written: [UInt8]

    init(_ name: String) {
        self.name = name
        var w = JSONWriter(style: .compact)
        w.string(name)
        w.append(UInt8(ascii: ":"))
        written = w.bytes
    }
}

/// Writes a canonical JSON object member by member into a buffer of its own; the caller supplies
/// the keys in sorted order (debug builds check). A plan writes one for every desired pair, a few
/// dozen members each, so a member is a capacity check and a copy of its bytes, no more.
struct CanonicalObject: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var members = 0
    #if DEBUG
    private var lastKey: [UInt8] = []
    #endif

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        append(UInt8(ascii: "{"))
    }

    deinit { base.deallocate() }

    /// Empties the object, keeping its storage, to write another.
    mutating func reset() {
        count = 0
        members = 0
        #if DEBUG
        lastKey = []
        #endif
        append(UInt8(ascii: "{"))
    }

    /// Closes the object; ``withBytes(_:)`` then sees the canonical JSON.
    mutating func close() { append(UInt8(ascii: "}")) }

    /// Calls `body` with what has been written.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Closes the object and returns its bytes, in storage of their own.
    mutating func finish() -> [UInt8] {
        close()
        return withBytes { Array($0) }
    }

    // MARK: Members

    /// Starts a member: the separator and the key.
    mutating func key(_ key: SpecKey) {
        key.written.withUnsafeBufferPointer { startMember($0) }
    }

    /// Starts a member whose key is a literal (no escapes needed).
    mutating func key(_ key: StaticString) {
        startMember(UnsafeBufferPointer(start: nil, count: 0), literal: key)
    }

    mutating func string(_ key: SpecKey, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func string(_ key: StaticString, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func int(_ key: SpecKey, _ value: Int) {
        self.key(key)
        int(value)
    }

    mutating func int(_ key: StaticString, _ value: Int) {
        self.key(key)
        int(value)
    }

    mutating func bool(_ key: SpecKey, _ value: Bool) {
        self.key(key)
        append(value ? "true" : "false")
    }

    // MARK: Values

    /// A quoted JSON string, escaped as ``JSONWriter`` escapes it.
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            if JSONWriter.containsEscape(utf8) {
                var w = JSONWriter(style: .compact)
                w.string(String(decoding: utf8, as: UTF8.self))
                w.bytes.withUnsafeBufferPointer { append($0) }
            } else {
                reserve(utf8.count + 2)
                base[count] = UInt8(ascii: "\"")
                if let from = utf8.baseAddress { (base + count + 1).update(from: from, count: utf8.count) }
                count += utf8.count + 1
                base[count] = UInt8(ascii: "\"")
                count += 1
            }
        }
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
            append(UnsafeBufferPointer(start: d.baseAddress!.assumingMemoryBound(to: UInt8.self) + i, count: d.count - i))
        }
    }

    /// `["a","b"]`.
    mutating func stringArray(_ items: some Sequence<String>) {
        append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { append(UInt8(ascii: ",")) }
            string(item)
        }
        append(UInt8(ascii: "]"))
    }

    /// Raw bytes: punctuation, or a literal already in canonical form.
    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    // MARK: Storage

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    /// The separator, then the key: `written` (quoted, with its colon), or `literal` quoted here.
    private mutating func startMember(_ written: UnsafeBufferPointer<UInt8>, literal: StaticString? = nil) {
        #if DEBUG
        let name: [UInt8] = literal.map { Array(UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) }
            ?? Array(written.dropFirst().dropLast(2))
        precondition(members == 0 || lastKey.lexicographicallyPrecedes(name), "spec keys out of order")
        lastKey = name
        #endif
        if members > 0 { append(UInt8(ascii: ",")) }
        members += 1
        if let literal {
            append(UInt8(ascii: "\""))
            append(literal)
            append("\":")
        } else {
            append(written)
        }
    }

    private mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let grown = max(capacity * 2, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }
}

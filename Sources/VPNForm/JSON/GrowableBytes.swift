/// A growing run of bytes in storage of its own: an append is a capacity check and a copy.
///
/// For the writers a plan calls for every pair, a few dozen short pieces each (a spec's canonical
/// JSON, the text of a create), where `Array.append(contentsOf:)` cost several times that.
struct GrowableBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes have been written.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Calls `body` with what has been written.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// What has been written, as an array of its own.
    var array: [UInt8] { withBytes { Array($0) } }

    /// Forgets what was written, keeping the storage.
    mutating func removeAll() { count = 0 }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        put(bytes)
    }

    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends `n` copies of `byte`.
    mutating func append(repeating byte: UInt8, count n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(repeating: byte, count: n)
        count += n
    }

    // MARK: Unchecked stores, for writers that make room once for several pieces

    /// Makes room for `n` more bytes, which ``put(_:)`` then stores without a check.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(n) }
    }

    /// Stores a byte in room already made.
    @inline(__always)
    mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    /// Stores bytes in room already made.
    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress else { return }
        (base + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    /// Stores `n` bytes in room already made, written by `body` from the pointer it is given.
    @inline(__always)
    mutating func put(count n: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        body(base + count)
        count += n
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let grown = max(capacity * 2, count + n)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }
}

/// A growing byte buffer that output is written into, handed on in chunks of a few megabytes (at
/// boundaries the writer chooses, so a chunk never splits a character or a plan entry).
public struct OutputBuffer: ~Copyable {
    /// What has been written and not yet handed on.
    private var bytes: GrowableBytes
    /// Hand the bytes on once there are at least this many.
    let chunkSize: Int
    /// Where full chunks go, lent for the call; `nil` keeps everything.
    let sink: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// A buffer that keeps everything written to it.
    public init(capacity: Int = 0) {
        chunkSize = .max
        sink = nil
        bytes = GrowableBytes(capacity: capacity)
    }

    /// A buffer that hands its bytes to `sink` whenever a boundary is reached with at least
    /// `chunkSize` bytes, and once more at ``finish()``. The bytes are lent, not copied: the one
    /// buffer is reused for the next chunk.
    public init(chunkSize: Int = 4 << 20, sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.chunkSize = chunkSize
        self.sink = sink
        bytes = GrowableBytes(capacity: min(chunkSize, 64 << 20) + (64 << 10))
    }

    /// What has been written and not yet handed on, as text.
    public var text: String { bytes.withBytes { String(decoding: $0, as: UTF8.self) } }

    /// What has been written and not yet handed on, as bytes.
    var array: [UInt8] { bytes.array }

    /// Forgets what was written, keeping the storage.
    mutating func removeAll() { bytes.removeAll() }

    mutating func append(_ text: StaticString) { bytes.append(text) }

    /// Text; a literal goes to the `StaticString` overload, spared a `String`.
    @_disfavoredOverload
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append($0) }
    }

    mutating func append(_ b: UInt8) { bytes.append(b) }

    mutating func append(_ raw: UnsafeBufferPointer<UInt8>) { bytes.append(raw) }

    mutating func spaces(_ n: Int) { bytes.append(repeating: UInt8(ascii: " "), count: n) }

    /// A point where a chunk may end: hands the bytes on if there are enough.
    mutating func boundary() {
        guard let sink, bytes.count >= chunkSize else { return }
        bytes.withBytes(sink)
        bytes.removeAll()
    }

    /// Hands on what is left.
    public mutating func finish() {
        guard let sink, bytes.count > 0 else { return }
        bytes.withBytes(sink)
        bytes.removeAll()
    }
}

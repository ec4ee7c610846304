#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The events of one streamed item, kept compactly while it is read: a record per event and the
/// bytes of all its scalars in one buffer, both reused from item to item, so that an item can be
/// read in place (``YAMLRecordedNode``) without composing a tree, or replayed into the composer.
///
/// An item is *plain* when reading it in place is the same as composing it: no anchor (a later
/// alias would need the node), no alias, no tag, no merge key, no collection as a key, no two keys
/// that might be the same key (keys with the same bytes, or any non-ASCII key, whose equality is
/// Unicode's), and no nesting past the composer's depth limit.
///
/// A class over buffers it allocates itself: it takes every event of every streamed item, and
/// arrays' appends (a uniqueness check and a capacity check each, a generic copy for the bytes)
/// had been most of the cost of recording.
final class ItemRecorder {
    private var events: UnsafeMutablePointer<RecordedEvent>
    private var eventCapacity = 256
    private(set) var eventCount = 0
    private var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity = 4096
    private var byteCount = 0
    private(set) var isRecording = false
    private(set) var isPlain = true
    /// Open collections: where each starts, and for a mapping whether its next node is a key.
    private var open: UnsafeMutablePointer<OpenCollection>
    private var openCapacity = 16
    private var openCount = 0
    /// Collections that may still open before the composer's depth limit is reached.
    private var depthLeft = 0

    private struct OpenCollection {
        var start: Int32
        var isMapping: Bool
        var expectsKey: Bool
        /// Keys read so far (for a mapping).
        var keys: Int32
        /// A bit per hash of each key read so far (length, first and last byte): a key whose bit is
        /// clear is like none before it, and is not compared with them.
        var keyHashes: UInt64
    }

    init() {
        events = .allocate(capacity: eventCapacity)
        bytes = .allocate(capacity: byteCapacity)
        open = .allocate(capacity: openCapacity)
    }

    deinit {
        events.deallocate()
        bytes.deallocate()
        open.deallocate()
    }

    /// Starts recording an item whose first event comes next.
    /// - Parameter depthLeft: How many collections may be open at once inside the item.
    func begin(depthLeft: Int) {
        eventCount = 0
        byteCount = 0
        openCount = 0
        isRecording = true
        isPlain = true
        self.depthLeft = depthLeft
    }

    /// Appends bytes to the buffer, growing it when needed; returns where they start.
    @inline(__always)
    private func append(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        let start = byteCount
        if b.count > 0 {
            if byteCount + b.count > byteCapacity { growBytes(toHold: byteCount + b.count) }
            (bytes + byteCount).initialize(from: b.baseAddress!, count: b.count)
            byteCount += b.count
        }
        return Int32(truncatingIfNeeded: start)
    }

    private func growBytes(toHold count: Int) {
        var capacity = byteCapacity * 2
        while capacity < count { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.initialize(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    private func growEvents() {
        let grown = UnsafeMutablePointer<RecordedEvent>.allocate(capacity: eventCapacity * 2)
        grown.moveInitialize(from: events, count: eventCount)
        events.deallocate()
        events = grown
        eventCapacity *= 2
    }

    private func growOpen() {
        let grown = UnsafeMutablePointer<OpenCollection>.allocate(capacity: openCapacity * 2)
        grown.moveInitialize(from: open, count: openCount)
        open.deallocate()
        open = grown
        openCapacity *= 2
    }

    /// Records one event of the item.
    /// - Returns: Whether it completed the item (recording then stops).
    func record(_ event: ReaderEvent) -> Bool {
        let index = eventCount
        let valueStart = append(event.value)
        var record = RecordedEvent(kind: event.kind, mark: event.mark, isPlain: event.isPlain, start: valueStart,
                                   count: Int32(truncatingIfNeeded: event.value.count),
                                   end: Int32(truncatingIfNeeded: index))
        if let anchor = event.anchor {
            isPlain = false
            record.anchorCount = Int32(truncatingIfNeeded: anchor.count)
            record.anchorStart = append(anchor)
        }
        if let tag = event.tag {
            isPlain = false
            record.tagCount = Int32(truncatingIfNeeded: tag.count)
            record.tagStart = append(tag)
        }
        if eventCount == eventCapacity { growEvents() }
        (events + index).initialize(to: record)
        eventCount = index + 1
        let parent: UnsafeMutablePointer<OpenCollection>? = openCount > 0 ? open + (openCount - 1) : nil
        let atKey = parent.map { $0.pointee.isMapping && $0.pointee.expectsKey } ?? false
        switch event.kind {
        case .scalar:
            if atKey, isPlain, !keyIsDistinct(index, in: parent!) { isPlain = false }
            nodeDone()
        case .alias:
            isPlain = false
            nodeDone()
        case .sequenceStart, .mappingStart:
            if atKey || openCount >= depthLeft { isPlain = false }
            if openCount == openCapacity { growOpen() }
            (open + openCount).initialize(to: OpenCollection(start: Int32(truncatingIfNeeded: index),
                                                             isMapping: event.kind == .mappingStart,
                                                             expectsKey: true, keys: 0, keyHashes: 0))
            openCount += 1
        case .sequenceEnd, .mappingEnd:
            openCount -= 1
            events[Int(open[openCount].start)].end = Int32(truncatingIfNeeded: index)
            nodeDone()
        case .documentStart, .other:
            break
        }
        if openCount == 0 { isRecording = false }
        return !isRecording
    }

    /// Stops recording the item before its end (the rest of it is composed as it comes).
    func stop() { isRecording = false }

    /// Hands each recorded event to `body` as the composer takes it.
    func replay(_ body: (ReaderEvent) -> Void) {
        let b = UnsafeBufferPointer(start: bytes, count: byteCount)
        func slice(_ start: Int32, _ count: Int32) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: b[Int(start)..<Int(start + count)])
        }
        for i in 0..<eventCount {
            let e = events[i]
            body(ReaderEvent(kind: e.kind, mark: e.mark, value: slice(e.start, e.count), isPlain: e.isPlain,
                             anchor: e.anchorStart < 0 ? nil : slice(e.anchorStart, e.anchorCount),
                             tag: e.tagStart < 0 ? nil : slice(e.tagStart, e.tagCount)))
        }
    }

    /// Reads the recorded item in place.
    func withRoot<R>(_ body: (YAMLRecordedNode) -> R) -> R {
        body(YAMLRecordedNode(events: UnsafeBufferPointer(start: events, count: eventCount),
                              bytes: UnsafeBufferPointer(start: bytes, count: byteCount), index: 0))
    }

    @inline(__always)
    private func nodeDone() {
        guard openCount > 0 else { return }
        let last = open + (openCount - 1)
        if last.pointee.isMapping { last.pointee.expectsKey.toggle() }
    }

    /// Most keys a mapping read in place may have: each key is compared with those before it, so a
    /// larger mapping (a hostile file's thousands of tags) is left to the composer, which indexes
    /// keys by hash.
    static let maxKeysInPlace = 16

    /// Whether the scalar key just recorded at `index` cannot be the same key as any before it in its
    /// mapping, and may be read in place: ASCII (so that equal text is equal bytes), not `<<` when
    /// plain (a merge key), not the same bytes as an earlier key (`1` and `"1"` are different keys,
    /// but telling them apart is left to the composer), and at most ``maxKeysInPlace`` of them.
    private func keyIsDistinct(_ index: Int, in mapping: UnsafeMutablePointer<OpenCollection>) -> Bool {
        mapping.pointee.keys += 1
        if mapping.pointee.keys > Int32(Self.maxKeysInPlace) { return false }
        let key = events[index]
        let keyBytes = bytes + Int(key.start)
        let count = Int(key.count)
        if !Self.isASCII(keyBytes, count) { return false }
        if key.isPlain, count == 2, keyBytes[0] == UInt8(ascii: "<"), keyBytes[1] == UInt8(ascii: "<") { return false }
        let hash = count == 0 ? 0 : (count &* 7 &+ Int(keyBytes[0]) &+ Int(keyBytes[count - 1]) &* 3) & 63
        let bit = UInt64(1) << UInt64(hash)
        defer { mapping.pointee.keyHashes |= bit }
        if mapping.pointee.keyHashes & bit == 0 { return true }
        var j = Int(mapping.pointee.start) + 1
        while j < index {
            let other = events[j]
            if Int(other.count) == count, memcmp(bytes + Int(other.start), keyBytes, count) == 0 { return false }
            j = Int(events[j + 1].end) + 1
        }
        return true
    }
}

extension ItemRecorder {
    /// Whether `count` bytes are all ASCII, eight at a time.
    @inline(__always)
    static func isASCII(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var i = 0, high: UInt64 = 0
        while i + 8 <= count {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            high |= UInt64(p[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}

/// One recorded event: its kind, position and where its bytes are in ``ItemRecorder``'s buffer
/// (offsets as `Int32` and no optionals: the record is copied for every event).
@usableFromInline
struct RecordedEvent {
    @usableFromInline var kind: ReaderEvent.Kind
    @usableFromInline var isPlain: Bool
    @usableFromInline var mark: Mark
    /// A scalar's bytes (an alias's name).
    @usableFromInline var start: Int32
    @usableFromInline var count: Int32
    /// For a collection's start, the index of its end; for any other event, its own index.
    @usableFromInline var end: Int32
    /// The anchor's and the tag's bytes; a start of -1 for none.
    var anchorStart: Int32 = -1, anchorCount: Int32 = 0
    var tagStart: Int32 = -1, tagCount: Int32 = 0

    init(kind: ReaderEvent.Kind, mark: Mark, isPlain: Bool, start: Int32, count: Int32, end: Int32) {
        self.kind = kind
        self.mark = mark
        self.isPlain = isPlain
        self.start = start
        self.count = count
        self.end = end
    }
}

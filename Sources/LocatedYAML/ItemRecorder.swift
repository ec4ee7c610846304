/// The events of one streamed item, kept compactly while it is read: a record per event and the
/// bytes of all its scalars in one buffer, both reused from item to item, so that an item can be
/// read in place (``YAMLRecordedNode``) without composing a tree, or replayed into the composer.
///
/// An item is *plain* when reading it in place is the same as composing it: no anchor (a later
/// alias would need the node), no alias, no tag, no merge key, no collection as a key, no two keys
/// that might be the same key (keys with the same bytes, or any non-ASCII key, whose equality is
/// Unicode's), and no nesting past the composer's depth limit.
struct ItemRecorder {
    private(set) var events: [RecordedEvent] = []
    private(set) var bytes: [UInt8] = []
    private(set) var isRecording = false
    private(set) var isPlain = true
    /// Open collections: where each starts, and for a mapping whether its next node is a key.
    private var open: [(start: Int, isMapping: Bool, expectsKey: Bool)] = []
    /// Collections that may still open before the composer's depth limit is reached.
    private var depthLeft = 0

    /// Starts recording an item whose first event comes next.
    /// - Parameter depthLeft: How many collections may be open at once inside the item.
    mutating func begin(depthLeft: Int) {
        events.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        isRecording = true
        isPlain = true
        self.depthLeft = depthLeft
    }

    /// Records one event of the item.
    /// - Returns: Whether it completed the item (recording then stops).
    mutating func record(_ event: ReaderEvent) -> Bool {
        var record = RecordedEvent(kind: event.kind, mark: event.mark, isPlain: event.isPlain,
                                   start: bytes.count, count: event.value.count, end: events.count)
        if !event.value.isEmpty { bytes.append(contentsOf: event.value) }
        if let anchor = event.anchor {
            isPlain = false
            record.anchorStart = Int32(truncatingIfNeeded: bytes.count)
            record.anchorCount = Int32(truncatingIfNeeded: anchor.count)
            bytes.append(contentsOf: anchor)
        }
        if let tag = event.tag {
            isPlain = false
            record.tagStart = Int32(truncatingIfNeeded: bytes.count)
            record.tagCount = Int32(truncatingIfNeeded: tag.count)
            bytes.append(contentsOf: tag)
        }
        let atKey = !open.isEmpty && open[open.count - 1].isMapping && open[open.count - 1].expectsKey
        events.append(record)
        switch event.kind {
        case .scalar:
            if atKey, event.isPlain, event.value.count == 2, event.value[0] == UInt8(ascii: "<"),
               event.value[1] == UInt8(ascii: "<") {
                isPlain = false
            }
            nodeDone()
        case .alias:
            isPlain = false
            nodeDone()
        case .sequenceStart, .mappingStart:
            if atKey || open.count >= depthLeft { isPlain = false }
            open.append((events.count - 1, event.kind == .mappingStart, true))
        case .sequenceEnd, .mappingEnd:
            let start = open.removeLast().start
            events[start].end = Int32(truncatingIfNeeded: events.count - 1)
            if isPlain, event.kind == .mappingEnd, !keysAreDistinct(mappingAt: start) { isPlain = false }
            nodeDone()
        case .documentStart, .other:
            break
        }
        if open.isEmpty { isRecording = false }
        return !isRecording
    }

    /// Stops recording the item before its end (the rest of it is composed as it comes).
    mutating func stop() { isRecording = false }

    /// Hands each recorded event to `body` as the composer takes it.
    func replay(_ body: (ReaderEvent) -> Void) {
        bytes.withUnsafeBufferPointer { b in
            func slice(_ start: Int32, _ count: Int32) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: b[Int(start)..<Int(start + count)])
            }
            for e in events {
                body(ReaderEvent(kind: e.kind, mark: e.mark, value: slice(e.start, e.count), isPlain: e.isPlain,
                                 anchor: e.anchorStart < 0 ? nil : slice(e.anchorStart, e.anchorCount),
                                 tag: e.tagStart < 0 ? nil : slice(e.tagStart, e.tagCount)))
            }
        }
    }

    /// Reads the recorded item in place.
    func withRoot<R>(_ body: (YAMLRecordedNode) -> R) -> R {
        events.withUnsafeBufferPointer { e in
            bytes.withUnsafeBufferPointer { b in body(YAMLRecordedNode(events: e, bytes: b, index: 0)) }
        }
    }

    private mutating func nodeDone() {
        guard let last = open.indices.last, open[last].isMapping else { return }
        open[last].expectsKey.toggle()
    }

    /// Most keys a mapping read in place may have: each key is compared with those before it, so a
    /// larger mapping (a hostile file's thousands of tags) is left to the composer, which indexes
    /// keys by hash.
    static let maxKeysInPlace = 16

    /// Whether no two keys of a mapping (all of them scalars) can be the same key: all ASCII, so that
    /// equal text is equal bytes, and no two with the same bytes (`1` and `"1"` are different keys,
    /// but telling them apart is left to the composer); and at most ``maxKeysInPlace`` of them.
    private func keysAreDistinct(mappingAt start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var i = start + 1, keys = 0
            while events[i].kind != .mappingEnd {
                keys += 1
                if keys > Self.maxKeysInPlace { return false }
                let key = events[i]
                let keyBytes = UnsafeBufferPointer(rebasing: b[Int(key.start)..<Int(key.start + key.count)])
                if keyBytes.contains(where: { $0 >= 0x80 }) { return false }
                var j = start + 1
                while j < i {
                    let other = events[j]
                    if other.count == key.count,
                       UnsafeBufferPointer(rebasing: b[Int(other.start)..<Int(other.start + other.count)])
                           .elementsEqual(keyBytes) {
                        return false
                    }
                    j = Int(events[j + 1].end) + 1
                }
                i = Int(events[i + 1].end) + 1
            }
            return true
        }
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

    init(kind: ReaderEvent.Kind, mark: Mark, isPlain: Bool, start: Int, count: Int, end: Int) {
        self.kind = kind
        self.mark = mark
        self.isPlain = isPlain
        self.start = Int32(truncatingIfNeeded: start)
        self.count = Int32(truncatingIfNeeded: count)
        self.end = Int32(truncatingIfNeeded: end)
    }
}

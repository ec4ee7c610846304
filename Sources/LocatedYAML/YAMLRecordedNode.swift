/// A node of a streamed item read in place from the item's recorded events, without composing a
/// tree: scalars become strings only when asked for, keys never.
///
/// It points into the reader's buffers, so it is valid only inside the call it is handed to
/// (``YAMLReader/read(_:streamingItemsOf:offering:)``) and must not be kept.
public struct YAMLRecordedNode: YAMLNodeView {
    @usableFromInline let events: UnsafeBufferPointer<RecordedEvent>
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let index: Int

    @inlinable
    init(events: UnsafeBufferPointer<RecordedEvent>, bytes: UnsafeBufferPointer<UInt8>, index: Int) {
        self.events = events
        self.bytes = bytes
        self.index = index
    }

    @inlinable
    var event: RecordedEvent { events[index] }

    @inlinable
    func text(of e: RecordedEvent) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(e.start)..<Int(e.start &+ e.count)])
    }

    /// The number of nodes directly inside this collection, divided by `stride` (2 for a mapping's
    /// keys and values).
    @inlinable
    func count(stride: Int) -> Int {
        var n = 0, position = index + 1
        let end = Int(event.end)
        while position < end {
            n += 1
            position = Int(events[position].end) &+ 1
        }
        return n / stride
    }

    @inlinable
    func node(_ i: Int) -> YAMLRecordedNode { YAMLRecordedNode(events: events, bytes: bytes, index: i) }

    /// Where the node starts, as the composer would place it.
    @inlinable
    public var mark: Mark { event.mark }

    /// A short name of the node's kind, for messages: "a string", "a list", "a mapping" ….
    @inlinable
    public var kindDescription: String {
        switch event.kind {
        case .sequenceStart: "a list"
        case .mappingStart: "a mapping"
        default: scalar?.value.kindDescription ?? "a string"
        }
    }

    /// Resolved as the composer resolves it (a recorded item has no tags).
    @inlinable
    public var scalar: YAMLScalar? {
        let e = event
        guard e.kind == .scalar else { return nil }
        let utf8 = text(of: e)
        return YAMLScalar(text: String(utf8), utf8: utf8, plain: e.isPlain, tag: nil)
    }

    /// The scalar's text when it resolves to a string: quoted, or plain and neither a keyword nor
    /// anything like a number (a plain scalar that might be one is left to ``scalar``).
    @inlinable
    public var stringValue: String? { withStringUTF8 { String($0) } }

    /// `body` applied to the scalar's bytes in the reader's buffer when ``stringValue`` would be a string.
    @inlinable
    public func withStringUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let e = event
        guard e.kind == .scalar else { return nil }
        let utf8 = text(of: e)
        guard !e.isPlain || YAMLValue.plainIsString(utf8) else { return nil }
        return body(utf8)
    }

    /// The items of a list, or `nil` for anything else.
    @inlinable
    public var items: Items? {
        event.kind == .sequenceStart ? Items(list: self) : nil
    }

    /// The entries of a mapping, or `nil` for anything else.
    @inlinable
    public var entries: Entries? {
        event.kind == .mappingStart ? Entries(mapping: self) : nil
    }

    /// The items of a recorded list.
    public struct Items: Sequence {
        @usableFromInline let list: YAMLRecordedNode

        @inlinable
        init(list: YAMLRecordedNode) { self.list = list }

        /// Steps from item to item, over whatever each holds.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let list: YAMLRecordedNode
            @usableFromInline var position: Int

            @inlinable
            init(list: YAMLRecordedNode, position: Int) {
                self.list = list
                self.position = position
            }

            @inlinable
            public mutating func next() -> YAMLRecordedNode? {
                guard position < Int(list.event.end) else { return nil }
                let item = list.node(position)
                position = Int(list.events[position].end) &+ 1
                return item
            }
        }

        /// An iterator from the first item.
        @inlinable
        public func makeIterator() -> Iterator { Iterator(list: list, position: list.index + 1) }

        /// The exact number of items (a walk over them that skips their contents), so that an array
        /// of them is made at its size: growing by doubling left a quarter of each array unused.
        @inlinable
        public var underestimatedCount: Int { list.count(stride: 1) }
    }

    /// The entries of a recorded mapping, indexed by the position of each key's event.
    public struct Entries: YAMLEntryCollection {
        @usableFromInline let mapping: YAMLRecordedNode

        @inlinable
        init(mapping: YAMLRecordedNode) { self.mapping = mapping }

        /// The position of the first key's event.
        @inlinable
        public var startIndex: Int { mapping.index &+ 1 }

        /// The position of the mapping's end event.
        @inlinable
        public var endIndex: Int { Int(mapping.event.end) }

        /// After a key, its value, and whatever the value holds.
        @inlinable
        public func index(after i: Int) -> Int { Int(mapping.events[i &+ 1].end) &+ 1 }

        /// The entry whose key's event is at `position`.
        @inlinable
        public subscript(position: Int) -> YAMLEntryView<YAMLRecordedNode> {
            let key = mapping.events[position]
            return YAMLEntryView(key: YAMLKeyText(bytes: mapping.text(of: key)), keyMark: key.mark,
                                 value: mapping.node(position &+ 1))
        }

        /// The key at `position`, as bytes in the reader's buffer.
        @inlinable
        public func key(at position: Int) -> YAMLKeyText {
            YAMLKeyText(bytes: mapping.text(of: mapping.events[position]))
        }

        /// The value of the key at `position`.
        @inlinable
        public func value(at position: Int) -> YAMLRecordedNode { mapping.node(position &+ 1) }

        /// The exact number of entries (see ``Items/underestimatedCount``).
        @inlinable
        public var underestimatedCount: Int { mapping.count(stride: 2) }
    }
}

/// A located YAML node as a decoder reads it: a composed ``YAMLNode``, or a ``YAMLRecordedNode``
/// read in place from an item's events. One decoder, generic over this, serves both.
public protocol YAMLNodeView {
    /// A list's items, in order.
    associatedtype Items: Sequence where Items.Element == Self
    /// A mapping's entries, in order, each at an integer position.
    associatedtype Entries: YAMLEntryCollection where Entries.Element == YAMLEntryView<Self>, Entries.Node == Self

    /// Where the node starts.
    var mark: Mark { get }
    /// A short name of the node's kind, for messages: "a string", "a list", "a mapping" ….
    var kindDescription: String { get }
    /// The scalar, or `nil` for a collection.
    var scalar: YAMLScalar? { get }
    /// The items of a list, or `nil` for anything else.
    var items: Items? { get }
    /// The entries of a mapping, or `nil` for anything else.
    var entries: Entries? { get }
    /// The scalar's text when it resolves to a string, or `nil` when it may not: then ``scalar`` tells.
    /// A shortcut for the commonest value, without the scalar's resolution when the bytes rule it out.
    var stringValue: String? { get }
    /// `body` applied to the UTF-8 of the scalar when it resolves to a string (as ``stringValue``
    /// would give it), or `nil` when it may not: the text read without making a string of it.
    func withStringUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R?
}

extension YAMLNodeView {
    /// The scalar's text when it resolves to a string, or `nil` for anything else.
    @inlinable
    public var stringValue: String? {
        guard let s = scalar, case .string(let text) = s.value else { return nil }
        return text
    }

    /// `body` applied to the UTF-8 of ``stringValue``, or `nil` without one.
    @inlinable
    public func withStringUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard var text = stringValue else { return nil }
        return text.withUTF8(body)
    }
}

/// A mapping's entries as ``YAMLNodeView`` hands them out, each at an integer position, whose key and
/// value can also be had alone: looking a field up then makes (and retains) nothing else.
public protocol YAMLEntryCollection: Collection where Index == Int {
    associatedtype Node: YAMLNodeView
    /// The key of the entry at `position`.
    func key(at position: Int) -> YAMLKeyText
    /// The value of the entry at `position`.
    func value(at position: Int) -> Node
}

/// One `key: value` entry of a mapping, as ``YAMLNodeView`` hands it out.
public struct YAMLEntryView<Node: YAMLNodeView> {
    /// The key's text.
    public var key: YAMLKeyText
    /// Where the key starts.
    public var keyMark: Mark
    /// The value.
    public var value: Node

    /// Creates an entry.
    @inlinable
    public init(key: YAMLKeyText, keyMark: Mark, value: Node) {
        self.key = key
        self.keyMark = keyMark
        self.value = value
    }
}

/// A mapping key's text: a string already made, or bytes still in the reader's buffer, so that
/// comparing a key with the names a decoder knows makes no string.
public struct YAMLKeyText {
    @usableFromInline let text: String?
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>

    /// A key made into a string already.
    @inlinable
    public init(_ text: String) {
        self.text = text
        bytes = UnsafeBufferPointer(start: nil, count: 0)
    }

    /// A key as bytes, valid as long as the buffer they are in.
    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>) {
        text = nil
        self.bytes = bytes
    }

    /// The key as a string.
    @inlinable
    public var string: String { text ?? String(bytes) }

    /// Whether the key is `name`, comparing lengths first (most names looked for differ in length).
    /// Bytes are compared for a key still in the buffer: for the ASCII names decoders know, that is
    /// the same as string equality.
    @inlinable
    public func `is`(_ name: String) -> Bool {
        if let text { return text.utf8.count == name.utf8.count && text == name }
        guard bytes.count == name.utf8.count else { return false }
        var name = name
        return name.withUTF8 { n in
            for i in 0..<n.count where n[i] != bytes[i] { return false }
            return true
        }
    }

    /// Whether the key's UTF-8 is `utf8`, byte for byte (for ASCII names, the same as ``is(_:)``).
    @inlinable
    public func `is`(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        if var text {
            // In place: `elementsEqual` of a UTF8View went byte by byte through its iterator.
            guard text.utf8.count == utf8.count else { return false }
            return text.withUTF8 { Self.same($0, utf8) }
        }
        return Self.same(bytes, utf8)
    }

    @inlinable
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// Length in UTF-8 bytes.
    @inlinable
    public var utf8Count: Int { text?.utf8.count ?? bytes.count }

    /// The first UTF-8 byte, or 0 for an empty key.
    @inlinable
    public var firstByte: UInt8 { text.map { $0.utf8.first ?? 0 } ?? bytes.first ?? 0 }
}

extension YAMLNode: YAMLNodeView {
    /// The scalar, or `nil` for a collection.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The items of a list, or `nil` for anything else.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries of a mapping, or `nil` for anything else.
    public var entries: EntryList? {
        guard case .mapping(let entries) = content else { return nil }
        return EntryList(entries: entries)
    }

    /// The entries of a composed mapping.
    public struct EntryList: YAMLEntryCollection {
        @usableFromInline let entries: [YAMLEntry]

        @inlinable
        init(entries: [YAMLEntry]) { self.entries = entries }

        /// The first entry's position, 0.
        @inlinable
        public var startIndex: Int { 0 }

        /// The position after the last entry.
        @inlinable
        public var endIndex: Int { entries.count }

        /// The next entry's position.
        @inlinable
        public func index(after i: Int) -> Int { i + 1 }

        /// The entry at `position`.
        @inlinable
        public subscript(position: Int) -> YAMLEntryView<YAMLNode> {
            let e = entries[position]
            return YAMLEntryView(key: YAMLKeyText(e.key), keyMark: e.keyMark, value: e.value)
        }

        /// The key of the entry at `position`.
        @inlinable
        public func key(at position: Int) -> YAMLKeyText { YAMLKeyText(entries[position].key) }

        /// The value of the entry at `position`.
        @inlinable
        public func value(at position: Int) -> YAMLNode { entries[position].value }
    }
}

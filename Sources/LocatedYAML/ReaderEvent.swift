import CYAML

/// One parse event as the composer takes it: straight from libyaml, or replayed from a recorded
/// item (``ItemRecorder``). Its buffers point into memory that lives only while it is taken.
@usableFromInline
struct ReaderEvent {
    @usableFromInline
    enum Kind: UInt8 {
        case documentStart, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, alias, other
    }

    var kind: Kind
    var mark: Mark
    /// A scalar's bytes, or an alias's anchor name; empty otherwise.
    var value: UnsafeBufferPointer<UInt8>
    /// A scalar written without quotes or block style.
    var isPlain: Bool
    /// The anchor of a scalar or collection.
    var anchor: UnsafeBufferPointer<UInt8>?
    /// The explicit tag of a scalar or collection.
    var tag: UnsafeBufferPointer<UInt8>?

    /// Whether the event begins a node: a scalar, an alias or a collection's start.
    var startsNode: Bool {
        switch kind {
        case .scalar, .alias, .sequenceStart, .mappingStart: true
        default: false
        }
    }

    init(kind: Kind, mark: Mark, value: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0),
         isPlain: Bool = false, anchor: UnsafeBufferPointer<UInt8>? = nil, tag: UnsafeBufferPointer<UInt8>? = nil) {
        self.kind = kind
        self.mark = mark
        self.value = value
        self.isPlain = isPlain
        self.anchor = anchor
        self.tag = tag
    }

    /// The event libyaml delivered; valid until `yaml_event_delete`.
    @inline(__always)
    init(_ event: yaml_event_t) {
        let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            self.init(kind: .scalar, mark: mark, value: UnsafeBufferPointer(start: s.value, count: s.length),
                      isPlain: s.style == YAML_PLAIN_SCALAR_STYLE, anchor: Self.text(s.anchor), tag: Self.text(s.tag))
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            self.init(kind: .sequenceStart, mark: mark, anchor: Self.text(s.anchor), tag: Self.text(s.tag))
        case YAML_MAPPING_START_EVENT:
            let s = event.data.mapping_start
            self.init(kind: .mappingStart, mark: mark, anchor: Self.text(s.anchor), tag: Self.text(s.tag))
        case YAML_SEQUENCE_END_EVENT: self.init(kind: .sequenceEnd, mark: mark)
        case YAML_MAPPING_END_EVENT: self.init(kind: .mappingEnd, mark: mark)
        case YAML_ALIAS_EVENT:
            self.init(kind: .alias, mark: mark, value: Self.text(event.data.alias.anchor) ?? .init(start: nil, count: 0))
        case YAML_DOCUMENT_START_EVENT: self.init(kind: .documentStart, mark: mark)
        default: self.init(kind: .other, mark: mark)
        }
    }

    /// A NUL-terminated anchor or tag as bytes (the input holds no NUL, so none is cut short).
    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer else { return nil }
        let count = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return UnsafeBufferPointer(start: pointer, count: count)
    }
}

extension String {
    /// The text of bytes libyaml delivered (anchor names, tags).
    @inlinable
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.init(decoding: bytes, as: UTF8.self) }
}

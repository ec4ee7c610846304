import CYAML

/// Reads YAML text through libyaml's event API into located ``YAMLNode`` trees.
///
/// The reader is the only place that talks to libyaml. It checks what the event API leaves
/// to a composer: duplicate keys, undefined aliases, merge keys, tags, and the size of alias
/// expansion, so that a hostile file can neither crash the process nor exhaust memory.
public struct YAMLReader: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int
    /// Most nodes that alias expansion may add in one document, counted with their descendants.
    public var maxAliasExpansion: Int
    /// Deepest nesting of collections accepted.
    public var maxDepth: Int

    /// Creates a reader with the given limits.
    public init(maxBytes: Int = 64 << 20, maxAliasExpansion: Int = 1_000_000, maxDepth: Int = 256) {
        self.maxBytes = maxBytes
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
    }

    /// Reads one YAML document from UTF-8 bytes.
    ///
    /// - Parameter bytes: The file's contents.
    /// - Returns: The composed document and every issue found. Never throws: syntax errors
    ///   come back as fatal issues with libyaml's location.
    public func read(_ bytes: [UInt8]) -> YAMLDocument {
        read(bytes, streamingItemsOf: nil) { _, _ in false }
    }

    /// Reads one YAML document from UTF-8 bytes, handing out the items of one top-level list as
    /// each is complete instead of keeping them in the tree, so that the tree never holds the
    /// whole file.
    ///
    /// Only the first value of `key` in the top-level mapping is streamed, and only when it is a
    /// list written in place without an anchor; otherwise the items stay in the tree as usual.
    /// Items come in file order, before the issues of the rest of the file are known: when the
    /// returned document has a fatal issue, what was made of them should be dropped.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - key: The top-level key whose list is streamed; `nil` streams nothing.
    ///   - consume: Called with each item and its index in the list.
    /// - Returns: The composed document, with ``YAMLDocument/itemsStreamed`` telling whether
    ///   the list's node in it is empty because its items were handed out.
    public func read(_ bytes: [UInt8], streamingItemsOf key: String?,
                     to consume: (YAMLNode, Int) -> Void) -> YAMLDocument {
        read(bytes, streamingItemsOf: key) { item, index in
            guard case .composed(let node) = item else { return false }
            consume(node, index)
            return true
        }
    }

    /// Reads one YAML document from UTF-8 bytes as ``read(_:streamingItemsOf:to:)`` does, but
    /// offers each streamed item first as it was read, without a tree.
    ///
    /// An item whose reading in place is the same as its composing (no anchor, alias, tag or
    /// merge key, no keys that could be duplicates: see ``YAMLStreamedItem``) is offered as
    /// ``YAMLStreamedItem/recorded(_:)``. When `consume` declines it (returns `false`), or for any
    /// other item, the item is composed as usual, its issues are the document's, and it is offered
    /// as ``YAMLStreamedItem/composed(_:)``, whose answer is ignored.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - key: The top-level key whose list is streamed; `nil` streams nothing.
    ///   - consume: Called with each item and its index in the list; returns whether it took it.
    /// - Returns: The composed document, as ``read(_:streamingItemsOf:to:)`` returns it.
    public func read(_ bytes: [UInt8], streamingItemsOf key: String?,
                     offering consume: (YAMLStreamedItem, Int) -> Bool) -> YAMLDocument {
        bytes.withUnsafeBufferPointer { read($0, streamingItemsOf: key, watch: NoEventWatch(), offering: consume) }
    }

    /// Reads `bytes` as ``read(_:streamingItemsOf:offering:)`` does.
    /// - Parameters:
    ///   - rootList: Stream the items of the root list instead of `key`'s (the second part of a ``YAMLCut``).
    ///   - firstLine: The line breaks before `bytes` in the file they were cut from.
    ///   - watch: Sees every event (specialised away when it does nothing).
    func read<Watch: EventWatch>(_ bytes: UnsafeBufferPointer<UInt8>, streamingItemsOf key: String?, rootList: Bool = false,
                                 firstLine: Int = 0, watch: Watch,
                                 offering consume: (YAMLStreamedItem, Int) -> Bool) -> YAMLDocument {
        if bytes.count > maxBytes {
            let mib = maxBytes >> 20
            return YAMLDocument(root: nil, issues: [
                YAMLIssue(.tooLarge, at: .start, "file is larger than \(mib) MiB (\(bytes.count) bytes); refusing to read it"),
            ])
        }
        if let issue = Self.encodingIssue(bytes) {
            return YAMLDocument(root: nil, issues: [issue])
        }
        var composer = Composer(maxAliasExpansion: maxAliasExpansion, maxDepth: maxDepth, streamKey: key,
                                streamsRootList: rootList)
        let recorder = ItemRecorder()
        // Recorded offsets are 32-bit. An item's bytes are at most 1.5 times the input's (`\L` is two
        // characters for three bytes) plus one event's tag, so a quarter of the range is ample.
        let canRecord = bytes.count <= Int(Int32.max) / 4
        var streamedCount = 0
        /// Composes the recorded item (or the part of it read before a syntax error) and hands it out.
        func compose(_ recorder: ItemRecorder) {
            recorder.replay { event in
                guard !composer.stopped, let item = composer.consume(event) else { return }
                _ = consume(.composed(item), streamedCount)
            }
        }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            return YAMLDocument(root: nil, issues: [YAMLIssue(.syntax, at: .start, "could not initialise the YAML parser")])
        }
        defer { yaml_parser_delete(parser) }
        var end: Mark?
        // libyaml asserts on a NULL input pointer; an empty array may not have a base address.
        withUnsafePointer(to: UInt8(0)) { empty in
            yaml_parser_set_input_string(parser, bytes.baseAddress ?? empty, bytes.count)
            parser.pointee.mark.line = firstLine
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    // The issues of the part of an item already read come before the syntax error.
                    if recorder.isRecording { compose(recorder) }
                    composer.fail(Self.syntaxIssue(parser.pointee))
                    return
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT {
                    end = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                    return
                }
                let e = ReaderEvent(event)
                watch.saw(e)
                if canRecord, !recorder.isRecording, e.startsNode, composer.awaitsStreamedItem {
                    recorder.begin(depthLeft: maxDepth - composer.depth)
                }
                if recorder.isRecording {
                    let complete = recorder.record(e)
                    if !recorder.isPlain {
                        // Not to be read in place: what was recorded is composed, and the rest of the
                        // item goes straight to the composer (an anchored item is not recorded twice over).
                        compose(recorder)
                        recorder.stop()
                        if complete { streamedCount += 1 }
                    } else if complete {
                        let taken = recorder.withRoot { consume(.recorded($0), streamedCount) }
                        if !taken { compose(recorder) }
                        streamedCount += 1
                    }
                } else if let item = composer.consume(e) {
                    _ = consume(.composed(item), streamedCount)
                    streamedCount += 1
                }
                if composer.stopped { return }
            }
        }
        var document = composer.result
        document.streamedList?.count = streamedCount
        document.end = end
        return document
    }

    private static func syntaxIssue(_ p: yaml_parser_t) -> YAMLIssue {
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = p.context.map { " (\(String(cString: $0)))" } ?? ""
        let mark = Mark(line: Int(p.problem_mark.line) + 1, column: Int(p.problem_mark.column) + 1)
        return YAMLIssue(.syntax, at: mark, "syntax error: \(problem)\(context)")
    }

    /// libyaml accepts UTF-16 with a BOM; vpnform files are UTF-8 only, so say so plainly.
    private static func encodingIssue(_ b: UnsafeBufferPointer<UInt8>) -> YAMLIssue? {
        if b.count >= 2, (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) {
            return YAMLIssue(.encoding, at: .start, "file is UTF-16; vpnform reads UTF-8 only")
        }
        if let base = b.baseAddress, let hit = memchr(base, 0, b.count) {
            let nul = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let line = b[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return YAMLIssue(.encoding, at: Mark(line: line, column: 1), "file contains a NUL byte; vpnform reads UTF-8 text only")
        }
        return nil
    }
}

/// An item of the streamed list, as ``YAMLReader/read(_:streamingItemsOf:offering:)`` offers it.
public enum YAMLStreamedItem {
    /// A plain item read in place from its events, valid only during the call.
    case recorded(YAMLRecordedNode)
    /// An item composed as a tree: anchors, aliases, merges and tags applied, its issues reported.
    case composed(YAMLNode)
}

/// Sees each event of a reading as it comes. (Taken by value: an `inout` watch that does nothing is
/// a zero-sized variable, which every thread's reading would share.)
protocol EventWatch {
    func saw(_ event: ReaderEvent)
}

/// Sees nothing: the ordinary reading.
struct NoEventWatch: EventWatch {
    @inline(__always) func saw(_ event: ReaderEvent) {}
}

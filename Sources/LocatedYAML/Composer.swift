/// Turns libyaml events into ``YAMLNode`` trees.
///
/// Open collections live on an explicit stack whose frames are mutated in place
/// (`stack[stack.count - 1].append(...)`), so appending a child never copies its siblings.
///
/// With a `streamKey`, the items of the list under that key of the top-level mapping are handed
/// back one by one as each is complete (``consume(_:)`` returns them) instead of being kept: the
/// tree then never holds the whole file. The list's node in the tree stays, empty. With
/// `streamsRootList`, the list streamed is the document's root (the second part of a ``YAMLCut``).
struct Composer {
    fileprivate struct Frame {
        var isMapping: Bool
        var mark: Mark
        var anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        var pendingKey: PendingKey?
        /// Nodes in this collection including itself, with aliases counted expanded.
        var size = 1
        /// Entries that came from `<<` merge keys, applied when the mapping closes.
        var merges: [(node: YAMLNode, mark: Mark)] = []
        /// The keys seen, once a mapping is large enough for hashing to beat a linear scan.
        var keyIndex: [KeyIdentity: Int]?
    }

    /// A mapping's key waiting for its value.
    fileprivate struct PendingKey {
        var mark: Mark
        /// What makes two keys the same key.
        var identity: KeyIdentity
        /// A plain, untagged `<<`: its value is merged (a quoted `"<<"` is an ordinary key).
        var isMerge: Bool
        /// A collection used as a key: reported once, and its entry dropped.
        var isComplex: Bool
    }

    private static let scalarTags: Set<String> = ["str", "int", "float", "bool", "null"]

    private let maxAliasExpansion: Int
    private let maxDepth: Int
    private let streamKey: KeyIdentity?
    private let streamsRootList: Bool
    /// The stack index of the list whose items are streamed, while it is open.
    private var streamFrame: Int?
    /// Where the streamed list starts and ends (the reader counts its items).
    private var streamedList: YAMLDocument.StreamedList?
    /// An item of the streamed list, complete and waiting to be handed out.
    private var streamedItem: YAMLNode?
    private var streamed = false
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var root: YAMLNode?
    private var documents = 0
    private var issues: [YAMLIssue] = []
    private(set) var stopped = false

    init(maxAliasExpansion: Int, maxDepth: Int, streamKey: String? = nil, streamsRootList: Bool = false) {
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
        self.streamKey = streamKey.map { KeyIdentity(text: $0, isString: true) }
        self.streamsRootList = streamsRootList
    }

    var result: YAMLDocument {
        var document = YAMLDocument(root: stopped ? nil : root, issues: issues, itemsStreamed: streamed)
        document.streamedList = streamedList
        return document
    }

    mutating func fail(_ issue: YAMLIssue) {
        issues.append(issue)
        stopped = true
    }

    /// Whether the next node starts an item of the streamed list.
    var awaitsStreamedItem: Bool { streamFrame != nil && stack.count - 1 == streamFrame && !stopped }

    /// The depth of the collections open now.
    var depth: Int { stack.count }

    /// Takes one event.
    /// - Returns: An item of the streamed list, when this event completed one.
    mutating func consume(_ event: ReaderEvent) -> YAMLNode? {
        take(event)
        let item = streamedItem
        streamedItem = nil
        return stopped ? nil : item
    }

    private mutating func take(_ event: ReaderEvent) {
        let mark = event.mark
        switch event.kind {
        case .documentStart:
            documents += 1
            if documents == 2 {
                issues.append(YAMLIssue(.multipleDocuments, at: mark, "the file holds more than one YAML document; only the first is read"))
            }
        case .scalar:
            guard documents == 1 else { return }
            let utf8 = event.value
            let text = String(utf8)
            let tag = event.tag == nil ? nil : coreTag(event.tag, at: mark, expected: Self.scalarTags)
                .flatMap(YAMLScalar.CoreTag.init(rawValue:))
            let scalar = YAMLScalar(text: text, utf8: utf8, plain: event.isPlain, tag: tag)
            if let tag, let expected = tag.mismatch(scalar.value) {
                // Without the text: it may be a secret.
                issues.append(YAMLIssue(.tagMismatch, at: mark, "a value tagged !!\(tag.rawValue) must be \(expected)"))
            }
            let node = YAMLNode(.scalar(scalar), at: mark)
            if let a = event.anchor { anchors[String(a)] = (node, 1) }
            let isMergeKey = event.isPlain && event.tag == nil && utf8.count == 2 && text == "<<"
            add(node, size: 1, isMergeKey: isMergeKey)
        case .sequenceStart, .mappingStart:
            guard documents == 1 else { return }
            let isMapping = event.kind == .mappingStart
            if event.tag != nil { _ = coreTag(event.tag, at: mark, expected: isMapping ? ["map"] : ["seq"]) }
            guard stack.count < maxDepth else {
                fail(YAMLIssue(.tooDeep, at: mark, "collections nest deeper than \(maxDepth) levels"))
                return
            }
            if !isMapping, event.anchor == nil, startsStreamedList() {
                streamed = true
                streamFrame = stack.count
                streamedList = YAMLDocument.StreamedList(start: mark, end: nil)
            }
            stack.append(Frame(isMapping: isMapping, mark: mark, anchor: event.anchor.map(String.init)))
        case .sequenceEnd, .mappingEnd:
            guard documents == 1, var frame = stack.popLast() else { return }
            if stack.count == streamFrame {
                streamFrame = nil
                streamedList?.end = mark
            }
            if frame.isMapping { applyMerges(&frame) }
            let node = YAMLNode(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), at: frame.mark)
            if let a = frame.anchor { anchors[a] = (node, frame.size) }
            add(node, size: frame.size)
        case .alias:
            guard documents == 1 else { return }
            let name = String(event.value)
            guard let (node, size) = anchors[name] else {
                issues.append(YAMLIssue(.undefinedAlias, at: mark, "undefined alias *\(name): no anchor of that name is defined before it"))
                add(YAMLNode(.scalar(YAMLScalar(text: "", plain: true)), at: mark), size: 1)
                return
            }
            expanded += size
            guard expanded <= maxAliasExpansion else {
                fail(YAMLIssue(.aliasBudgetExceeded, at: mark,
                               "alias expansion exceeds \(maxAliasExpansion) nodes at *\(name) (a \"billion laughs\" file?)"))
                return
            }
            // Keep the alias's own position so diagnostics point at the use, not the anchor.
            var copy = node
            copy.mark = mark
            add(copy, size: size)
        case .other:
            break
        }
    }

    /// Adds a finished node to the open collection, or makes it the root.
    private mutating func add(_ node: YAMLNode, size: Int, isMergeKey: Bool = false) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        guard stack[top].isMapping else {
            if top == streamFrame {
                streamedItem = node
            } else {
                if stack[top].items.isEmpty { stack[top].items.reserveCapacity(4) }
                stack[top].items.append(node)
            }
            return
        }
        guard let key = stack[top].pendingKey else {
            switch node.content {
            case .scalar(let s):
                stack[top].pendingKey = PendingKey(mark: node.mark, identity: KeyIdentity(s),
                                                   isMerge: isMergeKey, isComplex: false)
            default:
                let message = "complex keys are not supported: this key is \(node.kindDescription)"
                issues.append(YAMLIssue(.complexKey, at: node.mark, message))
                stack[top].pendingKey = PendingKey(mark: node.mark,
                                                   identity: KeyIdentity(text: "", isString: true),
                                                   isMerge: false, isComplex: true)
            }
            return
        }
        stack[top].pendingKey = nil
        if key.isComplex { return }
        if key.isMerge {
            stack[top].merges.append((node, key.mark))
            return
        }
        if let first = stack[top].firstEntry(withKey: key.identity) {
            let message = "duplicate key \"\(key.identity.text)\" (first at \(first.keyMark))"
            issues.append(YAMLIssue(.duplicateKey, at: key.mark, message))
            return
        }
        let entry = YAMLEntry(key: key.identity.text, keyMark: key.mark, value: node,
                              keyIsString: key.identity.isString)
        // Most mappings hold a few entries: one allocation instead of growing through 1, 2, 4.
        if stack[top].entries.isEmpty { stack[top].entries.reserveCapacity(8) }
        stack[top].entries.append(entry)
        if stack[top].keyIndex != nil {
            stack[top].keyIndex![key.identity] = stack[top].entries.count - 1
        } else if stack[top].entries.count == 16 {
            let keys = stack[top].entries.enumerated().map { (KeyIdentity($1), $0) }
            stack[top].keyIndex = Dictionary(keys, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Whether a list starting now is the streamed one: the first value of the top-level mapping's
    /// `streamKey` (a later duplicate of the key is dropped, so it must not be streamed). An anchored
    /// list is never streamed: an alias to it needs its items.
    private mutating func startsStreamedList() -> Bool {
        if streamsRootList { return stack.isEmpty }
        guard let streamKey, !streamed, stack.count == 1, stack[0].isMapping, let key = stack[0].pendingKey,
              !key.isMerge, !key.isComplex, key.identity == streamKey
        else { return false }
        return stack[0].firstEntry(withKey: streamKey) == nil
    }

    /// Applies `<<` merges: keys written in the mapping itself win, then earlier merge sources.
    private mutating func applyMerges(_ frame: inout Frame) {
        for (node, mark) in frame.merges {
            let sources: [YAMLNode]
            switch node.content {
            case .mapping: sources = [node]
            case .sequence(let items): sources = items
            case .scalar:
                issues.append(YAMLIssue(.badMerge, at: mark, "a << merge key takes a mapping or a list of mappings"))
                continue
            }
            for source in sources {
                guard case .mapping(let entries) = source.content else {
                    issues.append(YAMLIssue(.badMerge, at: source.mark, "a << merge key takes a mapping or a list of mappings, not \(source.kindDescription)"))
                    continue
                }
                for entry in entries where !frame.entries.contains(where: { KeyIdentity($0) == KeyIdentity(entry) }) {
                    frame.entries.append(entry)
                }
            }
        }
    }

    /// Checks an explicit tag; returns the core-schema short name (`str`, `int`, …) or `nil` for no tag.
    private mutating func coreTag(_ bytes: UnsafeBufferPointer<UInt8>?, at mark: Mark,
                                  expected: Set<String>) -> String? {
        guard let bytes else { return nil }
        let tag = String(bytes)
        if tag == "!" { return nil }
        let prefix = "tag:yaml.org,2002:"
        if tag.hasPrefix(prefix), expected.contains(String(tag.dropFirst(prefix.count))) {
            return String(tag.dropFirst(prefix.count))
        }
        let shown = tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
        issues.append(YAMLIssue(.unsupportedTag, at: mark, "unsupported YAML tag \"\(shown)\""))
        return nil
    }
}

extension Composer.Frame {
    /// The entry with `key`: a linear scan for small mappings, a hash lookup for large ones.
    ///
    /// `mutating` only so that a call on `stack[top]` reads the frame in place: a non-mutating call
    /// copies the whole frame first.
    mutating func firstEntry(withKey key: KeyIdentity) -> YAMLEntry? {
        if let index = keyIndex { return index[key].map { entries[$0] } }
        // String equality, as the hash lookup's: keys that differ only in Unicode normalisation are
        // the same key whatever the mapping's size.
        return entries.first { $0.key == key.text && $0.keyIsString == key.isString }
    }
}

/// What makes two mapping keys the same: the same text, both strings or both not (`1:` is an
/// integer and `"1":` a string, so they are different keys; `a:` and `"a":` are the same).
struct KeyIdentity: Hashable {
    var text: String
    var isString: Bool

    init(text: String, isString: Bool) {
        self.text = text
        self.isString = isString
    }

    init(_ scalar: YAMLScalar) {
        if case .string = scalar.value {
            self.init(text: scalar.text, isString: true)
        } else {
            self.init(text: scalar.text, isString: false)
        }
    }

    init(_ entry: YAMLEntry) { self.init(text: entry.key, isString: entry.keyIsString) }
}

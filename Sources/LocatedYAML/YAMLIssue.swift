/// A problem found while reading YAML, located in the source.
public struct YAMLIssue: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// libyaml could not scan or parse the text; reading stopped here.
        case syntax
        /// A mapping repeats a key.
        case duplicateKey
        /// An alias names no anchor defined before it.
        case undefinedAlias
        /// Alias expansion passed the reader's budget ("billion laughs").
        case aliasBudgetExceeded
        /// Collections nest deeper than the reader allows.
        case tooDeep
        /// A node carries a tag outside the YAML core schema.
        case unsupportedTag
        /// A scalar tagged with a core-schema type its text is not (`!!int static`).
        case tagMismatch
        /// A mapping key is a list or a mapping.
        case complexKey
        /// A `<<` merge key whose value is not a mapping or a list of mappings.
        case badMerge
        /// The input is larger than the reader accepts.
        case tooLarge
        /// The file holds more than one document.
        case multipleDocuments
        /// The bytes are not UTF-8 text.
        case encoding
    }

    /// The kind of problem.
    public var kind: Kind
    /// Where it is.
    public var mark: Mark
    /// A human-readable explanation, without location.
    public var message: String

    /// Creates an issue.
    public init(_ kind: Kind, at mark: Mark, _ message: String) {
        self.kind = kind
        self.mark = mark
        self.message = message
    }

    /// Whether reading stopped at this issue (no document was produced after it).
    public var isFatal: Bool {
        switch kind {
        case .syntax, .aliasBudgetExceeded, .tooDeep, .tooLarge, .encoding: return true
        default: return false
        }
    }

    public var description: String { "\(mark): \(message)" }
}

/// The outcome of reading one YAML source: the document (if any could be composed) and every issue found.
public struct YAMLDocument: Sendable {
    /// The root node; `nil` for an empty file or when a fatal issue stopped reading.
    public var root: YAMLNode?
    /// Every issue, in source order of discovery.
    public var issues: [YAMLIssue]
    /// Whether the items of the streamed list were handed out as they were read
    /// (``YAMLReader/read(_:streamingItemsOf:to:)``); its node in ``root`` is then an empty list.
    public var itemsStreamed: Bool

    /// Where the streamed list starts and ends, and how many items it handed out: what
    /// ``YAMLCut/join(_:_:)`` checks.
    struct StreamedList: Sendable {
        var start: Mark
        /// The mark of the list's end, once read.
        var end: Mark?
        var count = 0
    }
    var streamedList: StreamedList?
    /// The mark of the end of the input, when it was read to the end.
    var end: Mark?
    /// Where the last node starts, in the first part of a ``YAMLCut``.
    var lastNodeStart: Mark?

    /// Creates a document.
    public init(root: YAMLNode?, issues: [YAMLIssue], itemsStreamed: Bool = false) {
        self.root = root
        self.issues = issues
        self.itemsStreamed = itemsStreamed
    }
}

/// A composed YAML node that remembers where it started in the source.
///
/// Aliases are already expanded (within the reader's budget) and `<<` merge keys applied,
/// so consumers see plain scalars, sequences and mappings.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    /// The node's content.
    public var content: Content
    /// Where the node starts: a scalar's first character (its quote, if quoted), a flow
    /// collection's bracket, or a block collection's first entry.
    public var mark: Mark

    /// Creates a node.
    public init(_ content: Content, at mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// A short name of the node's kind, for messages: "a string", "an integer", "a list", "a mapping" ….
    public var kindDescription: String {
        switch content {
        case .scalar(let s): return s.value.kindDescription
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// One `key: value` entry of a mapping. Keys are always scalars.
public struct YAMLEntry: Sendable {
    /// The key's text.
    public var key: String
    /// Where the key starts.
    public var keyMark: Mark
    /// The value node.
    public var value: YAMLNode
    /// Whether the key is a string (a plain `1` or `true` is not).
    public var keyIsString: Bool

    /// Creates an entry.
    public init(key: String, keyMark: Mark, value: YAMLNode, keyIsString: Bool = true) {
        self.key = key
        self.keyMark = keyMark
        self.value = value
        self.keyIsString = keyIsString
    }
}

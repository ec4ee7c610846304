import LocatedYAML

/// Shape-checking reads of YAML nodes into located values, gathering a diagnostic for every
/// mismatch instead of stopping at the first.
struct NodeDecoder {
    var findings: Findings

    init(file: String) { findings = Findings(file: file) }

    // Paths are built only for a finding: most values have none.
    mutating func error(_ path: @autoclosure () -> String, _ mark: Mark, _ message: String) { findings.error(path(), mark, message) }

    mutating func warning(_ path: @autoclosure () -> String, _ mark: Mark, _ message: String) { findings.warning(path(), mark, message) }

    /// A mapping's entries, with every key outside `allowed` reported (with a suggestion).
    mutating func mapping<Node: YAMLNodeView>(_ node: Node, _ path: FieldPath, allowed: KeySet,
                                              hints: [String: String] = [:]) -> Fields<Node>? {
        guard let entries = node.entries else {
            error(path.text, node.mark, "expected a mapping, got \(node.kindDescription)")
            return nil
        }
        // Where each known key's entry is: positions, not values, so that no node is retained twice.
        var positions = Fields<Node>.Positions(repeating: -1)
        var i = entries.startIndex
        while i != entries.endIndex {
            if let slot = allowed.slot(of: entries.key(at: i)) {
                // The composer keeps a key's first value only; a recorded mapping has no duplicate.
                if positions[slot] < 0 { positions[slot] = Int32(truncatingIfNeeded: i) }
            } else {
                let entry = entries[i]
                let key = entry.key.string
                let extra = hints[key].map { "; \($0)" } ?? Suggestion.hint(for: key, in: allowed.names)
                error(Self.join(path.text, key), entry.keyMark, "unknown key \"\(Self.clip(key))\"\(extra)")
            }
            i = entries.index(after: i)
        }
        return Fields(path: path, mark: node.mark, entries: entries, keys: allowed, positions: positions)
    }

    /// A list's items.
    mutating func list<Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String) -> Node.Items? {
        guard let items = node.items else {
            error(path(), node.mark, "expected a list, got \(node.kindDescription)")
            return nil
        }
        return items
    }

    /// A string. Plain scalars that resolve to numbers, booleans or null are refused (quote them).
    mutating func string<Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String,
                                             secret: Bool = false) -> Located<String>? {
        if let text = node.stringValue { return Located(text, at: node.mark) }
        guard let s = node.scalar else {
            error(path(), node.mark, "expected a string, got \(node.kindDescription)")
            return nil
        }
        guard case .string(let text) = s.value else {
            let shown = secret ? "" : " (\(Self.clip(s.text)); quote it if it is meant as text)"
            error(path(), node.mark, "expected a string, got \(s.value.kindDescription)\(shown)")
            return nil
        }
        return Located(text, at: node.mark)
    }

    /// An integer written as a plain number.
    mutating func int<Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String) -> Located<Int>? {
        guard let s = node.scalar, case .int(let v) = s.value else {
            error(path(), node.mark, "expected an integer, got \(Self.describe(node))")
            return nil
        }
        return Located(v, at: node.mark)
    }

    /// An integer within `range`.
    mutating func int<Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String,
                                          in range: ClosedRange<Int>) -> Located<Int>? {
        guard let v = int(node, path()) else { return nil }
        guard range.contains(v.value) else {
            error(path(), node.mark, "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(v.value)")
            return nil
        }
        return v
    }

    /// `true` or `false`.
    mutating func bool<Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String) -> Located<Bool>? {
        guard let s = node.scalar, case .bool(let v) = s.value else {
            error(path(), node.mark, "expected true or false, got \(Self.describe(node))")
            return nil
        }
        return Located(v, at: node.mark)
    }

    /// One of an enumeration's spellings, with a suggestion on a near miss.
    mutating func enumValue<E: FieldEnum, Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String,
                                                              _ type: E.Type = E.self) -> Located<E>? {
        guard let text = string(node, path()) else { return nil }
        guard let value = E(rawValue: text.value) else {
            let hint = Suggestion.hint(for: text.value, in: E.spellings)
            error(path(), node.mark, "expected one of \(E.spellings.joined(separator: ", ")); got \"\(Self.clip(text.value))\"\(hint)")
            return nil
        }
        return Located(value, at: node.mark)
    }

    /// A list of strings.
    mutating func strings<Node: YAMLNodeView>(_ node: Node,
                                              _ path: @autoclosure () -> String) -> Located<[Located<String>]>? {
        guard let items = list(node, path()) else { return nil }
        var values: [Located<String>] = []
        values.reserveCapacity(items.underestimatedCount)
        for (i, item) in items.enumerated() {
            if let value = string(item, "\(path())[\(i)]") { values.append(value) }
        }
        return Located(values, at: node.mark)
    }

    /// Whether two keys are equal, comparing their lengths first: most keys a mapping is searched
    /// for differ in length, and a length is one load where a comparison is a call.
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a == b }

    /// `a.b`, or `b` at the top level.
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A scalar's kind and text, or a collection's kind: `a string "abc"`, `a list`.
    static func describe<Node: YAMLNodeView>(_ node: Node) -> String {
        if let s = node.scalar, case .string = s.value { return "a string \"\(clip(s.text))\"" }
        if let s = node.scalar, s.value != .null { return "\(s.value.kindDescription) \(clip(s.text))" }
        return node.kindDescription
    }

    /// Long user text shortened for messages.
    static func clip(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "..."
    }
}

/// The entries of one mapping, looked up by key.
///
/// Not copyable: every field the decoder reads captures it in a closure, and a struct was copied into
/// each (its entries and path retained and released every time); a class was an allocation per mapping.
struct Fields<Node: YAMLNodeView>: ~Copyable {
    let path: FieldPath
    let mark: Mark
    let entries: Node.Entries
    private let keys: KeySet
    /// The position in ``entries`` of each known key written, by its slot in ``keys``; -1 for none.
    /// Inline (a key set has at most ``KeySet/maxCount`` keys): an array was a second allocation per mapping.
    private let positions: Positions

    /// A position per slot of a ``KeySet``.
    typealias Positions = SIMD32<Int32>

    init(path: FieldPath, mark: Mark, entries: Node.Entries, keys: KeySet, positions: Positions) {
        self.path = path
        self.mark = mark
        self.entries = entries
        self.keys = keys
        self.positions = positions
    }

    /// The value of `key`, which must be one of the keys the mapping was read with.
    subscript(key: StaticString) -> Node? {
        let position = positions[keys.slot(ofKnown: key)]
        return position < 0 ? nil : entries.value(at: Int(position))
    }

    func path(_ key: String) -> String { NodeDecoder.join(path.text, key) }
}

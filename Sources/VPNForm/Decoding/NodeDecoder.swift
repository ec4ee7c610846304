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
    mutating func mapping(_ node: YAMLNode, _ path: FieldPath, allowed: [String],
                          hints: [String: String] = [:]) -> Fields? {
        guard case .mapping(let entries) = node.content else {
            error(path.text, node.mark, "expected a mapping, got \(node.kindDescription)")
            return nil
        }
        for entry in entries where !allowed.contains(where: { Self.same($0, entry.key) }) {
            let extra = hints[entry.key].map { "; \($0)" } ?? Suggestion.hint(for: entry.key, in: allowed)
            error(Self.join(path.text, entry.key), entry.keyMark, "unknown key \"\(Self.clip(entry.key))\"\(extra)")
        }
        return Fields(path: path, mark: node.mark, entries: entries)
    }

    /// A list's items.
    mutating func list(_ node: YAMLNode, _ path: @autoclosure () -> String) -> [YAMLNode]? {
        guard case .sequence(let items) = node.content else {
            error(path(), node.mark, "expected a list, got \(node.kindDescription)")
            return nil
        }
        return items
    }

    /// A string. Plain scalars that resolve to numbers, booleans or null are refused (quote them).
    mutating func string(_ node: YAMLNode, _ path: @autoclosure () -> String, secret: Bool = false) -> Located<String>? {
        guard case .scalar(let s) = node.content else {
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
    mutating func int(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Located<Int>? {
        guard case .scalar(let s) = node.content, case .int(let v) = s.value else {
            error(path(), node.mark, "expected an integer, got \(Self.describe(node))")
            return nil
        }
        return Located(v, at: node.mark)
    }

    /// An integer within `range`.
    mutating func int(_ node: YAMLNode, _ path: @autoclosure () -> String, in range: ClosedRange<Int>) -> Located<Int>? {
        guard let v = int(node, path()) else { return nil }
        guard range.contains(v.value) else {
            error(path(), node.mark, "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(v.value)")
            return nil
        }
        return v
    }

    /// `true` or `false`.
    mutating func bool(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Located<Bool>? {
        guard case .scalar(let s) = node.content, case .bool(let v) = s.value else {
            error(path(), node.mark, "expected true or false, got \(Self.describe(node))")
            return nil
        }
        return Located(v, at: node.mark)
    }

    /// One of an enumeration's spellings, with a suggestion on a near miss.
    mutating func enumValue<E: FieldEnum>(_ node: YAMLNode, _ path: @autoclosure () -> String, _ type: E.Type = E.self) -> Located<E>? {
        guard let text = string(node, path()) else { return nil }
        guard let value = E(rawValue: text.value) else {
            let hint = Suggestion.hint(for: text.value, in: E.spellings)
            error(path(), node.mark, "expected one of \(E.spellings.joined(separator: ", ")); got \"\(Self.clip(text.value))\"\(hint)")
            return nil
        }
        return Located(value, at: node.mark)
    }

    /// A list of strings.
    mutating func strings(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Located<[Located<String>]>? {
        guard let items = list(node, path()) else { return nil }
        var values: [Located<String>] = []
        values.reserveCapacity(items.count)
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
    static func describe(_ node: YAMLNode) -> String {
        if case .scalar(let s) = node.content, case .string = s.value { return "a string \"\(clip(s.text))\"" }
        if case .scalar(let s) = node.content, s.value != .null { return "\(s.value.kindDescription) \(clip(s.text))" }
        return node.kindDescription
    }

    /// Long user text shortened for messages.
    static func clip(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "..."
    }
}

/// The entries of one mapping, looked up by key.
///
/// A class, not a struct: every field the decoder reads captures it in a closure, and a struct was
/// copied into each (its entries and path retained and released every time).
final class Fields {
    let path: FieldPath
    let mark: Mark
    let entries: [YAMLEntry]
    /// One bit per key written, chosen by its length and first byte. Most lookups are of keys not
    /// written; a clear bit answers them without comparing a string. (Keys are compared as bytes
    /// here, which is String equality for the ASCII keys vpnform knows.)
    private let written: UInt64

    init(path: FieldPath, mark: Mark, entries: [YAMLEntry]) {
        self.path = path
        self.mark = mark
        self.entries = entries
        written = entries.reduce(0) { $0 | Self.bit($1.key) }
    }

    subscript(key: String) -> YAMLNode? {
        guard written & Self.bit(key) != 0 else { return nil }
        return entries.first { NodeDecoder.same($0.key, key) }?.value
    }

    @inline(__always)
    private static func bit(_ key: String) -> UInt64 {
        let bytes = key.utf8
        return 1 &<< UInt64(truncatingIfNeeded: (bytes.count &* 7 &+ Int(bytes.first ?? 0)) & 63)
    }

    func path(_ key: String) -> String { NodeDecoder.join(path.text, key) }
}

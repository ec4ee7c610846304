/// A JSON value, as vpnform writes it: no floating point, objects keyed by string.
public enum JSONValue: Sendable, Equatable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    /// Compact canonical JSON: keys sorted by their UTF-8 bytes, no whitespace. Two equal values
    /// always give the same bytes, which is what spec digests hash.
    public var canonical: String {
        var w = JSONWriter(style: .compact)
        w.write(self)
        return w.text
    }

    /// One-line JSON with `", "` and `": "` separators, keys sorted: how state and plans show a value.
    public var inline: String {
        var w = JSONWriter(style: .inline)
        w.write(self)
        return w.text
    }

    /// The value as it reads in a plan: strings quoted, lists and objects inline.
    public var display: String { inline }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}

/// A scalar as written, with its resolved type.
///
/// Resolution follows the YAML 1.2 core schema, not YAML 1.1: only `true`/`false` (any case
/// variant of the core schema) are booleans, so `yes`, `on` and `no` stay strings. Quoted
/// scalars are always strings; so is anything tagged `!!str`.
public struct YAMLScalar: Sendable, Equatable {
    /// The source text, exactly as libyaml delivered it (escapes already decoded).
    public var text: String
    /// The resolved value.
    public var value: YAMLValue

    /// Creates a scalar and resolves its type.
    /// - Parameters:
    ///   - text: The scalar's text.
    ///   - plain: Whether it was written without quotes or block style.
    ///   - tag: The explicit core-schema tag, if any (`str`, `int`, `bool`, `null`, `float`).
    public init(text: String, plain: Bool, tag: CoreTag? = nil) {
        self.text = text
        switch tag {
        case .str: value = .string(text)
        case .int, .float, .bool, .null: value = YAMLValue.resolvePlain(text)
        case nil: value = plain ? YAMLValue.resolvePlain(text) : .string(text)
        }
    }

    /// The core-schema tags vpnform accepts on scalars.
    public enum CoreTag: String, Sendable {
        case str, int, float, bool, null
    }
}

/// A scalar's resolved value.
public enum YAMLValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case null

    /// "a string", "an integer", "a number", "a boolean", "null".
    public var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .float: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// Resolves a plain scalar by the YAML 1.2 core schema.
    public static func resolvePlain(_ text: String) -> YAMLValue {
        guard let first = text.utf8.first else { return .null }
        // Most scalars are names and addresses: their length and first byte rule out every keyword.
        if mayBeKeyword(length: text.utf8.count, first: first), let keyword = keyword(text) {
            return keyword
        }
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        var bytes = text
        let (integer, float) = bytes.withUTF8 { (isDecimalInteger($0), isCoreFloat($0)) }
        if integer { return Int(text).map(YAMLValue.int) ?? .float(Double(text) ?? 0) }
        if text.hasPrefix("0x"), let v = Int(text.dropFirst(2), radix: 16) { return .int(v) }
        if text.hasPrefix("0o"), let v = Int(text.dropFirst(2), radix: 8) { return .int(v) }
        if float, let d = Double(text) { return .float(d) }
        return .string(text)
    }

    /// Whether a scalar of this length and first byte can be a keyword: `~` alone, or `null`, `true`,
    /// `false`, `.inf`, `+.inf`, `-.inf`, `.nan` in one of their spellings.
    private static func mayBeKeyword(length: Int, first: UInt8) -> Bool {
        switch (length, first) {
        case (1, UInt8(ascii: "~")): true
        case (4, UInt8(ascii: "n")), (4, UInt8(ascii: "N")), (4, UInt8(ascii: "t")), (4, UInt8(ascii: "T")),
             (4, UInt8(ascii: ".")): true
        case (5, UInt8(ascii: "f")), (5, UInt8(ascii: "F")), (5, UInt8(ascii: "+")), (5, UInt8(ascii: "-")): true
        default: false
        }
    }

    /// The value of a core-schema keyword (`null`, `true`, `.inf` …), or `nil`.
    private static func keyword(_ text: String) -> YAMLValue? {
        switch text {
        case "~", "null", "Null", "NULL": .null
        case "true", "True", "TRUE": .bool(true)
        case "false", "False", "FALSE": .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": .float(-.infinity)
        case ".nan", ".NaN", ".NAN": .float(.nan)
        default: nil
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func isDecimalInteger(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        guard i < b.count else { return false }
        while i < b.count { if !isDigit(b[i]) { return false }; i += 1 }
        return true
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isCoreFloat(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = 0
        while i < b.count, isDigit(b[i]) { i += 1; mantissaDigits += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            var expDigits = 0
            while i < b.count, isDigit(b[i]) { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return false }
        }
        return i == b.count
    }
}

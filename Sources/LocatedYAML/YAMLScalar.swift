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

    /// Creates a scalar from the bytes libyaml delivered, resolving its type from them (`text` is
    /// those bytes as a string): the same as ``init(text:plain:tag:)`` without a second pass.
    @usableFromInline
    init(text: String, utf8: UnsafeBufferPointer<UInt8>, plain: Bool, tag: CoreTag?) {
        self.text = text
        switch tag {
        case .str: value = .string(text)
        case .int, .float, .bool, .null: value = YAMLValue.resolvePlain(text, form: .init(utf8))
        case nil: value = plain ? YAMLValue.resolvePlain(text, form: .init(utf8)) : .string(text)
        }
    }

    /// The core-schema tags vpnform accepts on scalars.
    public enum CoreTag: String, Sendable {
        case str, int, float, bool, null

        /// What a value so tagged must be, when `value` (resolved from its text) is not that:
        /// `!!int static` is no integer. An integer is a number for `!!float`.
        func mismatch(_ value: YAMLValue) -> String? {
            switch (self, value) {
            case (.str, _), (.int, .int), (.float, .float), (.float, .int), (.bool, .bool), (.null, .null): nil
            case (.int, _): "an integer"
            case (.float, _): "a number"
            case (.bool, _): "true or false"
            case (.null, _): "null"
            }
        }
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
        var utf8 = text
        return resolvePlain(text, form: utf8.withUTF8(PlainForm.init))
    }

    /// Resolves a plain scalar whose bytes were already looked at.
    fileprivate static func resolvePlain(_ text: String, form: PlainForm) -> YAMLValue {
        switch form {
        case .keyword(let value): return value
        case .decimal: return Int(text).map(YAMLValue.int) ?? .float(Double(text) ?? 0)
        case .prefixed(let radix):
            // The `x` or `o` rules out a float.
            return Int(text.dropFirst(2), radix: radix).map(YAMLValue.int) ?? .string(text)
        case .float: return Double(text).map(YAMLValue.float) ?? .string(text)
        case .string: return .string(text)
        }
    }

    /// Whether a plain scalar of these bytes is a string for certain: neither a keyword nor anything
    /// that starts like a number.
    @usableFromInline
    static func plainIsString(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if case .string = PlainForm(b) { return true }
        return false
    }

    /// What a plain scalar's bytes look like, found in one pass over them without making strings.
    fileprivate enum PlainForm {
        case keyword(YAMLValue)
        /// `[-+]?[0-9]+`
        case decimal
        /// `0x…` (16) or `0o…` (8): an integer if the rest parses in that radix.
        case prefixed(radix: Int)
        case float
        case string

        init(_ b: UnsafeBufferPointer<UInt8>) {
            guard let first = b.first else { self = .keyword(.null); return }
            // Most scalars are names and addresses: their length and first byte rule out every keyword.
            if YAMLValue.mayBeKeyword(length: b.count, first: first), let value = YAMLValue.keyword(b) {
                self = .keyword(value)
                return
            }
            guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                    || YAMLValue.isDigit(first)
            else { self = .string; return }
            if YAMLValue.isDecimalInteger(b) { self = .decimal; return }
            if b.count >= 2, first == UInt8(ascii: "0") {
                if b[1] == UInt8(ascii: "x") { self = .prefixed(radix: 16); return }
                if b[1] == UInt8(ascii: "o") { self = .prefixed(radix: 8); return }
            }
            self = YAMLValue.isCoreFloat(b) ? .float : .string
        }
    }

    /// Whether a scalar of this length and first byte can be a keyword: `~` alone, or `null`, `true`,
    /// `false`, `.inf`, `+.inf`, `-.inf`, `.nan` in one of their spellings.
    fileprivate static func mayBeKeyword(length: Int, first: UInt8) -> Bool {
        switch (length, first) {
        case (1, UInt8(ascii: "~")): true
        case (4, UInt8(ascii: "n")), (4, UInt8(ascii: "N")), (4, UInt8(ascii: "t")), (4, UInt8(ascii: "T")),
             (4, UInt8(ascii: ".")): true
        case (5, UInt8(ascii: "f")), (5, UInt8(ascii: "F")), (5, UInt8(ascii: "+")), (5, UInt8(ascii: "-")): true
        default: false
        }
    }

    /// The value of a core-schema keyword (`null`, `true`, `.inf` …), or `nil`. Compared as bytes:
    /// no other text is canonically equivalent to these ASCII spellings.
    fileprivate static func keyword(_ b: UnsafeBufferPointer<UInt8>) -> YAMLValue? {
        func `is`(_ spelling: StaticString) -> Bool {
            spelling.utf8CodeUnitCount == b.count && spelling.withUTF8Buffer { $0.elementsEqual(b) }
        }
        switch b.first {
        case UInt8(ascii: "~"): return `is`("~") ? .null : nil
        case UInt8(ascii: "n"), UInt8(ascii: "N"): return `is`("null") || `is`("Null") || `is`("NULL") ? .null : nil
        case UInt8(ascii: "t"), UInt8(ascii: "T"): return `is`("true") || `is`("True") || `is`("TRUE") ? .bool(true) : nil
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return `is`("false") || `is`("False") || `is`("FALSE") ? .bool(false) : nil
        case UInt8(ascii: "+"): return `is`("+.inf") || `is`("+.Inf") || `is`("+.INF") ? .float(.infinity) : nil
        case UInt8(ascii: "-"): return `is`("-.inf") || `is`("-.Inf") || `is`("-.INF") ? .float(-.infinity) : nil
        case UInt8(ascii: "."):
            if `is`(".inf") || `is`(".Inf") || `is`(".INF") { return .float(.infinity) }
            return `is`(".nan") || `is`(".NaN") || `is`(".NAN") ? .float(.nan) : nil
        default: return nil
        }
    }

    fileprivate static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    fileprivate static func isDecimalInteger(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        guard i < b.count else { return false }
        while i < b.count { if !isDigit(b[i]) { return false }; i += 1 }
        return true
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    fileprivate static func isCoreFloat(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
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

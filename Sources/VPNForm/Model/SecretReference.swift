/// Where a pre-shared key comes from. Its value is never printed.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    /// `${NAME}`: read from the environment variable NAME when `apply` needs it.
    case environment(String)
    /// A key written into the file itself (allowed, with a warning).
    case literal(Secret)

    public var description: String {
        switch self {
        case .environment(let name): return "${\(name)}"
        case .literal: return "(literal, redacted)"
        }
    }
}

/// A secret string whose description, debug description and reflection never show it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself: read it only to send it where it belongs.
    public let revealed: String

    /// Wraps a secret value.
    public init(_ value: String) { revealed = value }

    public var description: String { "(redacted)" }
    public var debugDescription: String { "(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

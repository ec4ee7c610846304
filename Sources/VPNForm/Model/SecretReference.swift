@_exported import struct VPNCrypto.Secret

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

/// A secret string whose description, debug description and reflection never show it.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable, Codable {
    /// The secret itself: read it only to send it where it belongs.
    public let revealed: String

    /// Wraps a secret value.
    public init(_ value: String) { revealed = value }

    public var description: String { "(redacted)" }
    public var debugDescription: String { "(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// Decodes the secret from a JSON string (the emulator reading a request body).
    public init(from decoder: any Decoder) throws {
        revealed = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the secret itself: only request bodies sent to the API are encoded.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(revealed)
    }
}

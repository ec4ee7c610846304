import VPNAPI

/// Why a pair was not applied: what happened, and the API's answer when it gave one.
public struct PairFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What happened and what state the pair is left in (never a secret).
    public var message: String
    /// The API's error answer (status, code, message, request id), when the failure was one.
    public var api: APIErrorBody?

    /// A failure; `error` supplies the API's answer when it is ``VPNAPIError/api(_:)``.
    public init(_ message: String, error: VPNAPIError? = nil) {
        self.message = message
        if case .api(let body)? = error { api = body }
    }

    /// The message.
    public var description: String { message }

    /// Whether the message mentions `text` (for tests and filters).
    public func contains(_ text: String) -> Bool { message.contains(text) }
}

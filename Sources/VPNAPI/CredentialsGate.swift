import Synchronization

/// Remembers the first 401 or 403 the API answers, shared by every copy of a client: after it no
/// call sends anything, since every signed call with the same credentials would be refused alike.
public final class CredentialsGate: Sendable {
    private let rejection = Mutex<APIErrorBody?>(nil)

    public init() {}

    /// The answer that closed the gate, or `nil` while it is open.
    public var rejected: APIErrorBody? {
        rejection.withLock { $0 }
    }

    /// Closes the gate with `answer` (the first one is kept).
    func close(with answer: APIErrorBody) {
        rejection.withLock { if $0 == nil { $0 = answer } }
    }
}

import Foundation

/// Remembers the first 401 or 403 the API answers, shared by every copy of a client: after it no
/// call sends anything, since every signed call with the same credentials would be refused alike.
///
/// Unchecked `Sendable`: `rejection` is touched only with `lock` held (a pthread mutex that
/// ThreadSanitizer understands).
public final class CredentialsGate: @unchecked Sendable {
    private let lock = NSLock()
    private var rejection: APIErrorBody?

    public init() {}

    /// The answer that closed the gate, or `nil` while it is open.
    public var rejected: APIErrorBody? {
        lock.withLock { rejection }
    }

    /// Closes the gate with `answer` (the first one is kept).
    func close(with answer: APIErrorBody) {
        lock.withLock { if rejection == nil { rejection = answer } }
    }
}

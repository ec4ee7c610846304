/// A wait the client is about to make before its next attempt, for a progress line such as
/// `hq/shanghai: throttled (429), retrying in 2.0 s`.
public struct RetryNotice: Sendable, Equatable, CustomStringConvertible {
    /// Why the client waits.
    public enum Reason: Sendable, Equatable {
        /// The API answered 429.
        case throttled
        /// The API refused the request as busy or conflicting (nothing was done): 409, 425, VPN.0030 …
        case refused(APIErrorBody)
        /// A read got a 5xx.
        case serverError(status: Int)
        /// The request did not leave.
        case notSent(NetworkProblem)
        /// A read's answer was lost.
        case lost(NetworkProblem)
        /// Another call of the run was throttled, and every call holds back with it.
        case heldBack
    }

    /// Why.
    public var reason: Reason
    /// Seconds until the next attempt.
    public var seconds: Double
    /// The attempt that just ended (1 for the first), or about to start for ``Reason/heldBack``.
    public var attempt: Int

    public init(reason: Reason, seconds: Double, attempt: Int) {
        self.reason = reason
        self.seconds = seconds
        self.attempt = attempt
    }

    public var description: String {
        let wait = String(format: "%.1f s", seconds)
        switch reason {
        case .throttled: return "throttled (429), retrying in \(wait)"
        case .refused(let body): return "refused as busy (HTTP \(body.status) \(body.code)), retrying in \(wait)"
        case .serverError(let status): return "server error (\(status)), retrying in \(wait)"
        case .notSent(let problem): return "\(problem), retrying in \(wait)"
        case .lost(let problem): return "\(problem), retrying in \(wait)"
        case .heldBack: return "holding back \(wait): the API is throttling this run"
        }
    }
}

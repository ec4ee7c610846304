import Synchronization

/// Exponential backoff with full jitter, honouring `Retry-After`.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The delay scale of the first retry, in seconds.
    public var baseDelay: Double
    /// The largest delay, in seconds.
    public var maxDelay: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.5, maxDelay: Double = 20) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1-based): a uniformly random share (`jitter` in 0…1)
    /// of `baseDelay · 2^(retry-1)`, capped, and never less than the server's `Retry-After`.
    public func delay(retry: Int, jitter: Double, retryAfter: Double?) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry - 1, 30)))
        return max(ceiling * jitter, min(retryAfter ?? 0, maxDelay * 3))
    }
}

/// Shared backoff: when one call is throttled (429), every call of the run waits, so that a
/// throttled run slows down as a whole instead of each worker hammering on. A lock, not an actor:
/// every request asks it, and a hop to an actor's executor on each would cost more than the answer.
public final class Throttle: Sendable {
    private let resumeAt = Mutex<ContinuousClock.Instant?>(nil)
    private let clock = ContinuousClock()

    public init() {}

    /// Pushes back every caller's next request by `seconds` from now (the later wins).
    public func hold(for seconds: Double) {
        let until = clock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        resumeAt.withLock { at in
            if at.map({ until > $0 }) ?? true { at = until }
        }
    }

    /// How long a caller should wait before its next request.
    public func wait() -> Duration {
        let now = clock.now
        return resumeAt.withLock { at in at.map { $0 > now ? now.duration(to: $0) : .zero } ?? .zero }
    }
}

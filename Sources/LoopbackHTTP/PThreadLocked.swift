#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex, shared by threads.
///
/// Used instead of `Synchronization.Mutex` for state that server threads contend for: under
/// contention `Mutex` waits on a futex that ThreadSanitizer cannot see, so every access is then
/// reported as a race; pthread mutexes it understands.
public final class PThreadLocked<Value>: @unchecked Sendable {
    // `value` is only touched with `mutex` held; the mutex lives at a fixed address.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Wraps `value`.
    public init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

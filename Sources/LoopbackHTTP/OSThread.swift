#if canImport(Glibc)
import Glibc
#endif

/// Starts POSIX threads for blocking socket work, away from the Swift concurrency pool.
///
/// `pthread_create` is used rather than Foundation's `Thread` because it reports failure: when the
/// process is out of threads, the caller gets `EAGAIN` and can answer 503, where `Thread.start()` gives
/// no signal and the connection would hang until the client's timeout.
enum OSThread {
    /// The closure handed through `pthread_create`'s context pointer.
    private final class Start: Sendable {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) {
            self.body = body
        }
    }

    /// Starts `body` on a new thread.
    /// - Parameters:
    ///   - joinable: `true` to get a thread that must be passed to `pthread_join`; otherwise it is
    ///     detached and its resources are freed when it ends.
    ///   - body: The work.
    /// - Returns: The thread, or the `errno` from `pthread_create`.
    static func start(
        joinable: Bool,
        _ body: @escaping @Sendable () -> Void
    ) -> Result<pthread_t, ThreadStartError> {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        let state = joinable ? PTHREAD_CREATE_JOINABLE : PTHREAD_CREATE_DETACHED
        pthread_attr_setdetachstate(&attributes, Int32(state))

        let context = Unmanaged.passRetained(Start(body: body)).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, &attributes, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            start.body()
            return nil
        }, context)
        guard code == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            return .failure(ThreadStartError(code: code))
        }
        return .success(thread)
    }

    /// Waits for a joinable thread to end.
    static func join(_ thread: pthread_t) {
        _ = pthread_join(thread, nil)
    }
}

/// `pthread_create` failed with this error number.
struct ThreadStartError: Error {
    let code: Int32
}

import Foundation

/// State shared by the server's connection threads, behind a pthread mutex (NSLock).
///
/// Not `Synchronization.Mutex`: under contention its futex path is invisible to
/// ThreadSanitizer, which then reports every access as a race; a pthread mutex is understood.
final class LockedState<Value>: @unchecked Sendable {
    // `value` is only touched with `lock` held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

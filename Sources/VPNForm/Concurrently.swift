import Foundation

/// Runs `other` on a thread of its own while the calling thread runs `body`, and returns both
/// results: `plan` reads the state file while it reads and validates the desired file.
/// - Parameters:
///   - body: Work for the calling thread.
///   - other: Work for the other thread.
public func concurrently<A, B: Sendable>(_ body: () -> A, _ other: @escaping @Sendable () -> B) -> (A, B) {
    let box = ResultBox<B>(), done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = other()
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    let a = body()
    done.wait()
    return (a, box.value!)
}

/// Written by one thread before it signals a semaphore, read by another after waiting on it.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

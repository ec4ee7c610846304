import Dispatch
import Foundation
import VPNForm

/// SIGINT/SIGTERM: the first asks the run to stop (an apply stops starting pairs, while its
/// in-flight calls finish and are recorded; the emulator shuts down); a second exits at once
/// with 130, which the journal makes safe.
final class InterruptHandler: @unchecked Sendable {
    // Guarded by `lock`; dispatch sources are not Sendable, hence the unchecked conformance.
    private let lock = NSLock()
    private var count = 0
    private var sources: [any DispatchSourceSignal] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Until ``beginGracefulPhase()``, an interrupt exits at once (e.g. at the approval prompt,
    /// before anything was sent); `exit` still releases the state lock.
    private var immediate: Bool

    /// - Parameter message: What to say on the first interrupt (nothing when `nil`).
    init(console: Console, immediate: Bool = false,
         message: String? = "\nInterrupted: finishing the calls in flight and saving the state (interrupt again to stop at once).\n") {
        self.immediate = immediate
        // An ignored signal that the kernel hands to a thread which has not blocked it is simply
        // dropped; dispatch's own threads block it and pick it up. Block it here too, so no
        // interrupt is lost (this thread is the one waiting at the prompt).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                if isImmediate {
                    console.err("\nInterrupted; nothing was sent.\n")
                    Self.stopNow()
                }
                if arrived() == 1 {
                    if let message { console.err(message) }
                } else {
                    Self.stopNow()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Ends the process with 130 without `exit`'s stream flushing, which deadlocks when the main
    /// thread is blocked reading standard input (the approval prompt). Output is unbuffered, and
    /// the journal keeps the state consistent; the lock is released here.
    private static func stopNow() -> Never {
        StateLock.releaseAllHeld()
        _exit(130)
    }

    private func arrived() -> Int {
        lock.lock()
        count += 1
        let n = count
        let ready = waiters
        waiters.removeAll()
        lock.unlock()
        for w in ready { w.resume() }
        return n
    }

    private var isImmediate: Bool {
        lock.lock()
        defer { lock.unlock() }
        return immediate
    }

    /// From now on the first interrupt asks the run to stop gracefully; a second exits at once.
    func beginGracefulPhase() {
        lock.lock()
        immediate = false
        lock.unlock()
    }

    /// Suspends until the first interrupt.
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if count > 0 {
                lock.unlock()
                c.resume()
            } else {
                waiters.append(c)
                lock.unlock()
            }
        }
    }

    /// Whether an interrupt arrived.
    var requested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return count > 0
    }

    /// Restores the default signal handling.
    func disarm() {
        lock.lock()
        let list = sources
        sources.removeAll()
        lock.unlock()
        for s in list { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

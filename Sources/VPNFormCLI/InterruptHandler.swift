import Foundation
import VPNForm

/// SIGINT/SIGTERM: the first asks the run to stop (an apply stops starting pairs, while its
/// in-flight calls finish and are recorded; the emulator shuts down); a second exits at once
/// with 130, which the journal makes safe.
final class InterruptHandler: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var count = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Until ``beginGracefulPhase()``, an interrupt exits at once (e.g. at the approval prompt,
    /// before anything was sent); `exit` still releases the state lock.
    private var immediate: Bool
    /// What a second interrupt prints before stopping (the pairs it leaves pending).
    private var forcedStopMessage: (@Sendable () -> String)?

    /// - Parameter message: What to say on the first interrupt (nothing when `nil`).
    init(console: Console, immediate: Bool = false,
         message: String? = "\nInterrupted: finishing the calls in flight and saving the state (interrupt again to stop at once).\n") {
        self.immediate = immediate
        // A real handler, on whichever thread the kernel picks, writes to a pipe that a thread of
        // ours reads. (An ignored signal, as dispatch's signal sources need, is dropped when it
        // lands on a thread that has not blocked it, such as one the emulator or URLSession started.)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { fatalError("pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        SignalPipe.writeFD = fds[1]
        let readFD = fds[0]
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let n = read(readFD, &byte, 1)
                if n < 0, errno == EINTR { continue }
                guard n == 1 else { return }
                if isImmediate {
                    console.err("\nInterrupted; nothing was sent.\n")
                    Self.stopNow()
                }
                if arrived() == 1 {
                    if let message { console.err(message) }
                } else {
                    if let forced = forcedStop { console.err("\n" + forced()) }
                    Self.stopNow()
                }
            }
        }
        thread.start()
        for sig in [SIGINT, SIGTERM] { SignalPipe.install(sig) }
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

    /// From now on the first interrupt asks the run to stop gracefully; a second exits at once,
    /// after printing what `forcedStop` says.
    func beginGracefulPhase(forcedStop: (@Sendable () -> String)? = nil) {
        lock.lock()
        immediate = false
        forcedStopMessage = forcedStop
        lock.unlock()
    }

    private var forcedStop: (@Sendable () -> String)? {
        lock.lock()
        defer { lock.unlock() }
        return forcedStopMessage
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
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// The process-wide signal handler's only state: where it writes the signal's number.
enum SignalPipe {
    nonisolated(unsafe) static var writeFD: Int32 = -1

    static func install(_ sig: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            // Async-signal-safe: one write(2), nothing else.
            var byte = UInt8(truncatingIfNeeded: sig)
            _ = write(SignalPipe.writeFD, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(sig, &action, nil)
    }
}

import Dispatch
import Foundation

/// SIGINT/SIGTERM during an apply: the first asks the run to stop starting pairs (in-flight calls
/// finish and are recorded); a second exits at once with 130, which the journal makes safe.
final class InterruptHandler: @unchecked Sendable {
    // Guarded by `lock`; dispatch sources are not Sendable, hence the unchecked conformance.
    private let lock = NSLock()
    private var count = 0
    private var sources: [any DispatchSourceSignal] = []

    init(console: Console) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                if arrived() == 1 {
                    console.err("\nInterrupted: finishing the calls in flight and saving the state (interrupt again to stop at once).\n")
                } else {
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    private func arrived() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
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
    }
}

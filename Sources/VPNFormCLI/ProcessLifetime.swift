import Synchronization

/// Values a command hands over to live until the process exits. A command's large values (the
/// desired state, the state, the plan of tens of thousands of pairs) would otherwise be torn down
/// one allocation at a time right before `exit`, which frees all of the process's memory at once:
/// about 5 % of `plan`'s time at 10,000 pairs.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` (a reference to it, for copy-on-write storage) until the process exits.
    static func keep(_ value: any Sendable) {
        kept.withLock { $0.append(value) }
    }
}

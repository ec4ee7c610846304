import VPNForm

/// What a second interrupt says before it stops an apply at once: the pairs left pending.
enum PendingPairs {
    /// Reads the state (with its journal) as it is on disk now.
    static func message(statePath: String) -> String {
        guard let state = try? StateStore(path: statePath).load().state else {
            return "Stopped at once; the next apply recovers any pair left pending in \(statePath).\n"
        }
        let pending = state.pairs.filter { $0.value.status == .pending }.keys.map(\.rawValue).sorted()
        guard !pending.isEmpty else { return "Stopped at once; no pair was left pending.\n" }
        let shown =
            pending.prefix(20).joined(separator: ", ") + (pending.count > 20 ? ", … (\(pending.count) in all)" : "")
        return "Stopped at once; \(pending.count) pair\(pending.count == 1 ? "" : "s") left pending: \(shown).\n"
            + "The next apply looks for their connections and adopts them before creating anything.\n"
    }
}

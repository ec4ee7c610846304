import VPNForm

/// The one writer of the state during an apply. Every change is written atomically before the
/// call that records it returns; changes that arrive while a write is under way share the next
/// write (group commit), so the number of writes does not grow with the parallelism.
public actor StateWriter {
    private let store: StateStore
    private var state: StateFile
    private var generation = 0
    private var written = 0
    private var writing = false
    private var waiters: [(generation: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    /// Creates a writer over `state`, which `store` holds.
    public init(store: StateStore, state: StateFile) {
        self.store = store
        self.state = state
    }

    /// The state as it is now (every returned ``update(_:)`` is on disk).
    public var current: StateFile { state }

    /// Applies `change` and returns once a write that includes it has completed.
    /// - Throws: ``StateError`` when the write fails; the file then holds an earlier state.
    public func update(_ change: @Sendable (inout StateFile) -> Void) async throws(StateError) {
        change(&state)
        generation += 1
        let mine = generation
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                waiters.append((mine, c))
                if !writing {
                    writing = true
                    Task { await self.writeLoop() }
                }
            }
        } catch let e as StateError {
            throw e
        } catch {
            throw .writeFailed(path: store.path, reason: "\(error)")
        }
    }

    private func writeLoop() async {
        while written < generation {
            let snapshot = state, target = generation
            let store = self.store
            let failure = await Task.detached { () -> StateError? in
                do throws(StateError) { try store.save(snapshot) } catch { return error }
                return nil
            }.value
            if let failure {
                let failed = waiters
                waiters.removeAll()
                for w in failed { w.continuation.resume(throwing: failure) }
                written = generation
                break
            }
            written = target
            let done = waiters.filter { $0.generation <= target }
            waiters.removeAll { $0.generation <= target }
            for w in done { w.continuation.resume() }
        }
        writing = false
    }
}

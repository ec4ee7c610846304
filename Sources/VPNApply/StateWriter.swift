import Dispatch
import VPNForm

/// The one writer of the state during an apply.
///
/// Each change is on disk before ``put(_:_:)`` returns: the first write creates the state file;
/// later ones append to the state's journal and flush it (a fraction of a millisecond), and
/// changes that arrive while a write is under way share the next one (group commit). ``finish()``
/// folds the journal into the state file, atomically.
public actor StateWriter {
    private let store: StateStore
    private let journal: StateJournal
    private var state: StateFile
    private var stateFileWritten: Bool
    private var queue: [StateJournal.Entry] = []
    private var waiting: [CheckedContinuation<Void, any Error>] = []
    private var writing = false
    private var journalled = 0
    /// Where the blocking writes run.
    private static let io = DispatchQueue(label: "vpnform.state-writer")
    /// Past this many journal entries the state file is rewritten instead, bounding replay time.
    private let compactAfter = 20_000

    /// Creates a writer over `state`, which `store` holds (`stateFileExists`: whether the file
    /// is on disk already, or only in memory as a new state).
    public init(store: StateStore, state: StateFile, stateFileExists: Bool) {
        self.store = store
        self.journal = StateJournal(statePath: store.path)
        self.state = state
        self.stateFileWritten = stateFileExists
    }

    /// Records `pair` (or removes the address, for `nil`) and returns once that is on disk.
    /// - Throws: ``StateError`` when it could not be written.
    public func put(_ address: PairAddress, _ pair: PairState?) async throws(StateError) {
        let entry = StateJournal.Entry(address: address, pair: pair)
        try journal.admit(entry)
        state.pairs[address] = pair
        queue.append(entry)
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                waiting.append(c)
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
        while !queue.isEmpty {
            let batch = queue, waiters = waiting
            queue.removeAll()
            waiting.removeAll()
            let rewrite = !stateFileWritten || journalled + batch.count > compactAfter
            // Only a rewrite needs the state: a copy held across the write would make the next
            // change copy every pair.
            let snapshot = rewrite ? state : nil
            let (store, journal) = (self.store, self.journal)
            // On a queue of its own: fsync blocks, and the concurrency pool has a thread per core.
            let failure = await withCheckedContinuation { (done: CheckedContinuation<StateError?, Never>) in
                Self.io.async {
                    do throws(StateError) {
                        if let snapshot {
                            try store.save(snapshot)
                            journal.remove()
                        } else {
                            try journal.append(batch)
                        }
                        done.resume(returning: nil)
                    } catch {
                        done.resume(returning: error)
                    }
                }
            }
            if let failure {
                for w in waiters { w.resume(throwing: failure) }
                continue
            }
            if rewrite {
                stateFileWritten = true
                journalled = 0
            } else {
                journalled += batch.count
            }
            for w in waiters { w.resume() }
        }
        writing = false
    }

    /// Waits for pending writes, then writes the whole state atomically and removes the journal.
    /// - Throws: ``StateError`` when the state file cannot be written (the journal then stays,
    ///   and the next reader replays it).
    public func finish() async throws(StateError) {
        while writing { await Task.yield() }
        guard stateFileWritten || !state.pairs.isEmpty else { return }
        try store.save(state)
        journal.remove()
        stateFileWritten = true
        journalled = 0
    }
}

import VPNCrypto

/// Where the state lives on disk, and the only code that reads or replaces it.
public struct StateStore: Sendable {
    /// The state file's path.
    public let path: String

    /// Creates a store for the file at `path`.
    public init(path: String) { self.path = path }

    /// The default state path for a desired-state file: its extension replaced by `.state.json`
    /// (`vpn.yaml` → `vpn.state.json`).
    public static func defaultPath(forDesired desired: String) -> String {
        let slash = desired.lastIndex(of: "/").map { desired.index(after: $0) } ?? desired.startIndex
        let base = desired[slash...]
        let stem = base.lastIndex(of: ".").flatMap { $0 == base.startIndex ? nil : $0 }.map { desired[..<$0] } ?? desired[...]
        return stem + ".state.json"
    }

    /// The state an `--emulator` run uses by default, so that it never touches the real one:
    /// `vpn.yaml` → `vpn.emulator.state.json`.
    public static func emulatorPath(forDesired desired: String) -> String {
        String(defaultPath(forDesired: desired).dropLast(".state.json".count)) + ".emulator.state.json"
    }

    /// What is on disk: the state (with its journal replayed, if an apply left one) and the exact
    /// bytes it was read from (state file, then journal), or an empty state (new lineage) and
    /// `nil` bytes when there is neither.
    /// - Parameter keepingBytes: Whether to return the bytes. Without them the file is mapped
    ///   rather than copied and its pages let go as they are read, so that a large state is never
    ///   held twice (as text and as values); `bytes` is then always `nil`.
    /// - Throws: ``StateError`` when the file exists but cannot be read or is not a valid state.
    public func load(keepingBytes: Bool = true) throws(StateError) -> (state: StateFile, bytes: [UInt8]?) {
        let kind = POSIXFile.kind(path)
        guard kind.exists else {
            // A first apply killed before its first compaction leaves only a journal.
            let journal = StateJournal(statePath: path)
            guard let entries = try journal.contents() else { return (StateFile.empty(), nil) }
            let state = try StateJournal.replay(entries, onto: StateFile.empty(), path: journal.path)
            return (state, keepingBytes ? entries : nil)
        }
        if kind.isSymlink { throw .unreadable(path: path, reason: "it is a symbolic link; vpnform replaces state files atomically and will not follow links") }
        if kind.isDirectory { throw .unreadable(path: path, reason: "it is a directory") }
        let state: StateFile, bytes: [UInt8]?
        if !keepingBytes, let file = MappedFile(regularFileAt: path) {
            state = try StateFile.parse(file.bytes, path: path, passed: file.release(below:))
            bytes = nil
        } else {
            let read: [UInt8]
            do { read = try POSIXFile.readAll(path) } catch { throw .unreadable(path: path, reason: error.message) }
            state = try StateFile.parse(read, path: path)
            bytes = keepingBytes ? read : nil
        }
        // An apply that was killed leaves its journal: what it recorded counts.
        let journal = StateJournal(statePath: path)
        guard let entries = try journal.contents() else { return (state, bytes) }
        return (try StateJournal.replay(entries, onto: state, path: journal.path), bytes.map { $0 + entries })
    }

    /// ``load()``, then, when an apply left a journal, folds it into the state file (atomically)
    /// and removes it, so a journal never outlives the next command that holds the lock. Call it
    /// only under the state's lock.
    /// - Parameter keepingBytes: As for ``load(keepingBytes:)``.
    /// - Returns: The state and the bytes now on disk (`nil` when there is no state file, or when
    ///   not `keepingBytes`).
    public func loadFolded(keepingBytes: Bool = true) throws(StateError) -> (state: StateFile, bytes: [UInt8]?) {
        let loaded = try load(keepingBytes: keepingBytes)
        let journal = StateJournal(statePath: path)
        guard try journal.contents() != nil else { return loaded }
        try save(loaded.state)
        journal.remove()
        return (loaded.state, keepingBytes ? loaded.state.serialized() : nil)
    }

    /// Refuses early, before an apply sends anything, when the state could not be written: the
    /// file or its folder has no write permission bits (checked on the bits, so that root,
    /// which the kernel lets write anyway, is refused too).
    public func checkWritable() throws(StateError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        if let mode = POSIXFile.mode(path), mode & 0o222 == 0 {
            throw .writeFailed(path: path, reason: "the file is read-only")
        }
        if let mode = POSIXFile.mode(folder), mode & 0o222 == 0 {
            throw .writeFailed(path: path, reason: "its folder \(folder) is read-only")
        }
    }

    /// Replaces the file with `state`, atomically.
    /// - Throws: ``StateError/writeFailed(path:reason:)``; the previous file is then unchanged.
    public func save(_ state: StateFile) throws(StateError) {
        try Self.writeFile(state.serialized(), to: path)
    }
}

extension StateStore {
    /// Writes any file atomically (temporary file, fsync, rename), e.g. a saved plan.
    /// - Throws: A description of what failed.
    public static func writeFile(_ bytes: [UInt8], to path: String) throws(StateError) {
        do { try SecretCanary.check(bytes, channel: path) } catch { throw .writeFailed(path: path, reason: error.description) }
        do { try POSIXFile.writeAtomically(bytes, to: path) } catch { throw .writeFailed(path: path, reason: error.message) }
    }
}

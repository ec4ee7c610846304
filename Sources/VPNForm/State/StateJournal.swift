#if canImport(Glibc)
import Glibc
#endif
import LocatedYAML
import VPNCrypto

/// The journal beside a state file during an apply (`STATE.journal`): one JSON line per change
/// of a pair, appended and flushed to disk (`fdatasync`) before the change counts. Appending a
/// line costs a fraction of a millisecond where rewriting the whole state costs more the larger
/// it grows; apply folds the journal into the state file when it ends.
///
/// Whoever reads the state replays the journal after it, so a run killed at any moment leaves
/// nothing behind that the next run does not see. A torn last line (a crash inside a write) is
/// ignored; a damaged line elsewhere is an error.
public struct StateJournal: Sendable {
    /// One change: the pair's new record, or `nil` when it is removed.
    public struct Entry: Sendable, Equatable {
        public var address: PairAddress
        public var pair: PairState?
        public init(address: PairAddress, pair: PairState?) {
            self.address = address
            self.pair = pair
        }

        /// `{"address": …, "pair": {…} | null}` and a newline, in canonical JSON.
        var line: [UInt8] {
            var w = JSONWriter(style: .compact, capacity: 2048)
            w.raw("{\"address\":")
            w.string(address.rawValue)
            w.raw(",\"pair\":")
            if let pair { pair.write(to: &w, laidOut: false) } else { w.raw("null") }
            w.raw("}\n")
            return w.bytes
        }
    }

    /// The journal's path.
    public let path: String

    /// The journal of a state file.
    public init(statePath: String) { path = statePath + ".journal" }

    /// Appends entries and flushes them to disk.
    /// - Throws: ``StateError/writeFailed(path:reason:)``; the entries may then be partly written
    ///   (a torn last line, which replay ignores).
    public func append(_ entries: [Entry]) throws(StateError) {
        let bytes = entries.flatMap(\.line)
        do { try SecretCanary.check(bytes, channel: path) } catch { throw .writeFailed(path: path, reason: error.description) }
        do throws(POSIXFile.Failure) {
            let fd = try POSIXFile.open(path, O_WRONLY | O_CREAT | O_APPEND)
            defer { close(fd) }
            try POSIXFile.writeAll(fd, bytes)
            while fdatasync(fd) != 0 {
                if errno != EINTR { throw POSIXFile.Failure("fdatasync \(path)") }
            }
        } catch {
            throw .writeFailed(path: path, reason: error.message)
        }
    }

    /// Checks one entry against the secret canary before it joins a shared write, so that a pair
    /// that would reveal a secret fails alone instead of failing the writes it would share.
    public func admit(_ entry: Entry) throws(StateError) {
        do { try SecretCanary.check(entry.line, channel: path) } catch { throw .writeFailed(path: path, reason: error.description) }
    }

    /// Removes the journal (after its entries are in the state file).
    public func remove() {
        unlink(path)
    }

    /// The journal's bytes, or `nil` when there is none.
    func contents() throws(StateError) -> [UInt8]? {
        guard POSIXFile.kind(path).exists else { return nil }
        do { return try POSIXFile.readAll(path) } catch { throw .unreadable(path: path, reason: error.message) }
    }

    /// `state` with the journal's complete lines applied in order.
    public static func replay(_ bytes: [UInt8], onto state: StateFile, path: String) throws(StateError) -> StateFile {
        var state = state
        var lineNumber = 0
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lineNumber += 1
            let line = Array(bytes[start..<newline])
            start = newline + 1
            let entry = line.withUnsafeBufferPointer { buffer -> Result<(String, PairState?), StateError> in
                var reader = StateReader(path: path, scanner: JSONScanner(buffer))
                reader.lineOffset = lineNumber - 1
                do throws(JSONReadError) { return .success(try reader.journalEntry(lineNumber)) } catch { return .failure(reader.located(error)) }
            }
            let (address, pair) = try entry.get()
            state.pairs[PairAddress(rawValue: address)] = pair
        }
        // Bytes after the last newline are a write the crash cut short: it never counted.
        return state
    }
}

import Foundation
import Synchronization

/// Who holds a state lock, as written into the lock file.
public struct LockHolder: Sendable, Equatable {
    /// The holder's process id.
    public var pid: Int32
    /// The holder's host name.
    public var host: String
    /// When the lock was taken (ISO 8601, UTC).
    public var time: String
    /// The command that took it, e.g. `apply`.
    public var command: String
    /// Whether the holder is a process on this host that no longer runs.
    public var isStale: Bool

    /// `pid 1234 on host ci-7 (apply) since 2026-11-27T05:00:00Z`.
    public var summary: String { "pid \(pid) on host \(host) (\(command)) since \(time)" }

    var json: JSONValue { ["pid": .int(Int(pid)), "host": .string(host), "time": .string(time), "command": .string(command)] }
}

/// An exclusive lock on a state file: the file `STATE.lock`, created with `O_EXCL` and holding the
/// holder's details. Released by ``release()``; a crashed holder leaves it behind, reported as stale.
public final class StateLock: Sendable {
    /// The lock file's path.
    public let path: String

    private init(path: String) {
        self.path = path
        _ = Self.releaseAtExit
        Self.held.withLock { _ = $0.insert(path) }
    }

    /// Locks this process holds: an `exit()` anywhere (the secret canary, a second SIGINT)
    /// releases them, so only a killed process leaves a lock behind.
    private static let held = Mutex<Set<String>>([])
    private static let releaseAtExit: Void = {
        atexit { StateLock.releaseAllHeld() }
    }()

    /// Removes every lock this process holds. For a process about to end abruptly (`_exit`),
    /// where `exit` and its handlers could deadlock on a stream another thread is reading.
    public static func releaseAllHeld() {
        for path in held.withLock({ $0 }) { unlink(path) }
    }

    /// The lock file of a state file.
    public static func lockPath(forState state: String) -> String { state + ".lock" }

    /// Takes the lock, waiting up to `timeout` seconds (polling) while another run holds it.
    /// - Throws: ``StateError/locked(path:holder:waited:)`` with the holder's details and the
    ///   timeout that ran out (not the measured time, so a run without a wait says so), or
    ///   ``StateError/unreadableLock(path:reason:)`` when the lock file stays unreadable.
    public static func acquire(statePath: String, command: String, timeout: Double) throws(StateError) -> StateLock {
        let path = lockPath(forState: statePath)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do {
                let fd = try POSIXFile.open(path, O_WRONLY | O_CREAT | O_EXCL)
                defer { close(fd) }
                let holder = LockHolder(pid: getpid(), host: ProcessInfo.processInfo.hostName,
                                        time: ISO8601DateFormatter().string(from: Date()), command: command, isStale: false)
                try? POSIXFile.writeAll(fd, Array((holder.json.inline + "\n").utf8))
                try? POSIXFile.fsync(fd)
                return StateLock(path: path)
            } catch {
                guard error.code == EEXIST else {
                    throw .unreadableLock(path: path, reason: error.message)
                }
            }
            let holder = Result { () throws(StateError) in try readHolder(path) }
            if Date() >= deadline {
                switch holder {
                case .success(let h?): throw .locked(path: statePath, holder: h, waited: timeout)
                case .success(nil): continue // released just now: try again
                case .failure(let e): throw e
                }
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The holder recorded in a lock file, or `nil` if there is no lock.
    /// - Throws: ``StateError/unreadableLock(path:reason:)`` when the file holds garbage.
    public static func readHolder(_ path: String) throws(StateError) -> LockHolder? {
        guard POSIXFile.kind(path).exists else { return nil }
        let bytes: [UInt8]
        do { bytes = try POSIXFile.readAll(path) } catch {
            if !POSIXFile.kind(path).exists { return nil }
            throw .unreadableLock(path: path, reason: error.message)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let pid = object["pid"] as? Int, let host = object["host"] as? String,
              let time = object["time"] as? String, let command = object["command"] as? String
        else {
            throw .unreadableLock(path: path, reason: bytes.isEmpty ? "it is empty" : "it does not hold a lock holder's details")
        }
        let stale = host == ProcessInfo.processInfo.hostName && kill(pid_t(pid), 0) != 0 && errno == ESRCH
        return LockHolder(pid: Int32(pid), host: host, time: time, command: command, isStale: stale)
    }

    /// Removes a lock whatever holds it (`vpnform force-unlock`).
    /// - Returns: The holder it removed, if its details could be read.
    @discardableResult
    public static func forceRemove(statePath: String) -> (removed: Bool, holder: LockHolder?) {
        let path = lockPath(forState: statePath)
        let holder = try? readHolder(path)
        return (unlink(path) == 0, holder ?? nil)
    }

    /// Gives the lock up.
    public func release() {
        Self.held.withLock { _ = $0.remove(path) }
        unlink(path)
    }
}

import Foundation

/// Errors about the state file and its lock. None of them ever replaces or rewrites the file.
public enum StateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not a valid state file: bad JSON or bad structure, located.
    case malformed(path: String, mark: Mark, message: String)
    /// The file is a state file of a version this vpnform does not know.
    case unknownVersion(path: String, version: Int)
    /// Another run holds the lock (and the wait, if any, ran out).
    case locked(path: String, holder: LockHolder, waited: Double)
    /// The lock file exists but cannot be understood.
    case unreadableLock(path: String, reason: String)
    /// Writing the new state failed; the previous file is untouched.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): error: cannot read the state file: \(reason)"
        case let .malformed(path, mark, message):
            return "\(path):\(mark.line):\(mark.column): error: invalid state file: \(message); the file was left untouched"
        case let .unknownVersion(path, version):
            return "\(path): error: state file version \(version) is not supported by this vpnform (it reads version \(StateFile.version)); the file was left untouched"
        case let .locked(path, holder, waited):
            let wait = waited > 0 ? " after waiting \(Self.seconds(waited))" : ""
            var text = "\(path): error: the state is locked\(wait): held by \(holder.summary)"
            if holder.isStale {
                text += "; that process is no longer running (a crashed run?): if no apply is in progress, remove the lock with `vpnform force-unlock`"
            } else {
                text += "; retry later, or wait with --lock-timeout"
            }
            return text
        case let .unreadableLock(path, reason):
            return "\(path): error: the state lock file cannot be read (\(reason)); if no run is in progress, remove it with `vpnform force-unlock`"
        case let .writeFailed(path, reason):
            return "\(path): error: could not write the state file: \(reason); the previous file is unchanged"
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}

import Foundation

/// Errors about the state file and its lock. None of them ever replaces or rewrites the file.
///
/// Each carries data: the file it is about (``file``), the position when known (``mark``) and a
/// sentence without location or severity (``message``). The CLI's printer puts them together.
public enum StateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not a valid state file: bad JSON or bad structure, located.
    case malformed(path: String, mark: Mark, message: String)
    /// The file is a state file of a version this vpnform does not know.
    case unknownVersion(path: String, version: Int)
    /// Another run holds the lock; `waited` is the `--lock-timeout` that ran out (0: no wait).
    case locked(path: String, holder: LockHolder, waited: Double)
    /// The lock file exists but cannot be understood.
    case unreadableLock(path: String, reason: String)
    /// Writing the new state failed; the previous file is untouched.
    case writeFailed(path: String, reason: String)

    /// The file the error is about: the state file, or the lock file for ``unreadableLock(path:reason:)``.
    public var file: String {
        switch self {
        case .unreadable(let path, _), .malformed(let path, _, _), .unknownVersion(let path, _),
             .locked(let path, _, _), .unreadableLock(let path, _), .writeFailed(let path, _):
            return path
        }
    }

    /// Where in the file, when the error has a position.
    public var mark: Mark? {
        if case .malformed(_, let mark, _) = self { return mark }
        return nil
    }

    /// What is wrong, without location or severity.
    public var message: String {
        switch self {
        case let .unreadable(_, reason):
            return "cannot read the state file: \(reason)"
        case let .malformed(_, _, message):
            return "invalid state file: \(message); the file was left untouched"
        case let .unknownVersion(_, version):
            return "state file version \(version) is not supported by this vpnform "
                + "(it reads version \(StateFile.version)); "
                + "the file was left untouched"
        case let .locked(_, holder, waited):
            let wait = waited > 0 ? " after waiting \(Self.seconds(waited))" : ""
            let stale = holder.isStale ? "; that process is no longer running (a crashed run?)" : ""
            return "the state is locked\(wait): held by \(holder.summary)\(stale)"
        case let .unreadableLock(_, reason):
            return "the state lock file cannot be read (\(reason))"
        case let .writeFailed(_, reason):
            return "could not write the state file: \(reason); the previous file is unchanged"
        }
    }

    /// `file[:line:column]: message`, for logs and tests; the CLI prints through its own printer.
    public var description: String {
        "\(file)\(mark.map { ":\($0.line):\($0.column)" } ?? ""): \(message)"
    }

    /// `2 s`, `1.5 s`.
    public static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}

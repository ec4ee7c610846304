import LocatedYAML
import VPNCrypto

/// A plan saved by `plan --out`, read back by `apply PLANFILE`: the files it was computed from
/// and their digests. Apply recomputes the plan from those files and requires the same bytes, so
/// it carries out exactly the reviewed plan, and refuses an edited one.
public struct SavedPlan: Sendable, Equatable {
    public var desiredPath: String
    public var desiredSHA256: String
    public var statePath: String
    /// `nil` when there was no state file.
    public var stateSHA256: String?
    public var lineage: String
    /// Whether the plan was made against the live API (`plan --refresh --out`).
    public var refreshed = false
    /// The file's exact bytes.
    public var bytes: [UInt8]

    /// Errors reading a saved plan.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case invalid(path: String, mark: Mark, message: String)

        /// The plan file.
        public var file: String {
            switch self { case .unreadable(let path, _), .invalid(let path, _, _): return path }
        }

        /// Where in the file, when known.
        public var mark: Mark? {
            if case .invalid(_, let mark, _) = self { return mark }
            return nil
        }

        /// What is wrong, without location or severity.
        public var message: String {
            switch self {
            case let .unreadable(_, reason): return "cannot read the plan file: \(reason)"
            case let .invalid(_, _, message): return "invalid plan file: \(message)"
            }
        }

        /// `file[:line:column]: message`.
        public var description: String { "\(file)\(mark.map { ":\($0)" } ?? ""): \(message)" }
    }

    /// Reads a saved plan.
    public static func read(_ path: String) throws(ReadError) -> SavedPlan {
        let bytes: [UInt8]
        do { bytes = try POSIXFile.readAll(path) } catch { throw .unreadable(path: path, reason: error.message) }
        return try parse(bytes, path: path)
    }

    /// Whether `document` (recomputed from the same files) is exactly this saved plan.
    public func matches(_ document: PlanDocument) -> Bool {
        Array(document.rendered().utf8) == bytes
    }
}

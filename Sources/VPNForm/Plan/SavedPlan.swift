import LocatedYAML

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
    /// The file's exact bytes.
    public var bytes: [UInt8]

    /// Errors reading a saved plan.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case invalid(path: String, mark: Mark, message: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): return "\(path): cannot read the plan file: \(reason)"
            case let .invalid(path, mark, message): return "\(path):\(mark.line):\(mark.column): invalid plan file: \(message)"
            }
        }
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

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

    /// Parses a saved plan's bytes.
    public static func parse(_ bytes: [UInt8], path: String) throws(ReadError) -> SavedPlan {
        let document = YAMLReader(maxBytes: 256 << 20).read(bytes)
        if let issue = document.issues.first { throw .invalid(path: path, mark: issue.mark, message: issue.message) }
        guard let root = document.root, case .mapping(let top) = root.content else {
            throw .invalid(path: path, mark: .start, message: "expected a JSON object")
        }
        func field(_ entries: [YAMLEntry], _ key: String, at mark: Mark, nullable: Bool = false) throws(ReadError) -> String? {
            guard let node = entries.first(where: { $0.key == key })?.value else {
                throw .invalid(path: path, mark: mark, message: "\(key): required field is missing")
            }
            if case .scalar(let s) = node.content {
                if case .string(let v) = s.value { return v }
                if nullable, s.value == .null { return nil }
            }
            throw .invalid(path: path, mark: node.mark, message: "\(key): expected a string")
        }
        func object(_ key: String) throws(ReadError) -> ([YAMLEntry], Mark) {
            guard let node = top.first(where: { $0.key == key })?.value else { throw .invalid(path: path, mark: root.mark, message: "\(key): required field is missing") }
            guard case .mapping(let e) = node.content else { throw .invalid(path: path, mark: node.mark, message: "\(key): expected an object") }
            return (e, node.mark)
        }
        let version = try field(top, "format_version", at: root.mark)
        guard version == PlanDocument.formatVersion else {
            throw .invalid(path: path, mark: root.mark, message: "format_version \(version ?? "null") is not supported (expected \(PlanDocument.formatVersion))")
        }
        let (desired, dm) = try object("desired_file")
        let (state, sm) = try object("state_file")
        var plan = SavedPlan(
            desiredPath: try field(desired, "path", at: dm) ?? "",
            desiredSHA256: try field(desired, "sha256", at: dm) ?? "",
            statePath: try field(state, "path", at: sm) ?? "",
            stateSHA256: try field(state, "sha256", at: sm, nullable: true),
            lineage: try field(state, "lineage", at: sm) ?? "",
            bytes: bytes)
        if let node = top.first(where: { $0.key == "refreshed" })?.value {
            guard case .scalar(let v) = node.content, case .bool(let refreshed) = v.value else {
                throw .invalid(path: path, mark: node.mark, message: "refreshed: expected true or false")
            }
            plan.refreshed = refreshed
        }
        guard plan.desiredSHA256.utf8.count == 64, plan.desiredSHA256.utf8.allSatisfy(ValueRules.isHex) else {
            throw .invalid(path: path, mark: dm, message: "desired_file.sha256: expected 64 hex digits")
        }
        return plan
    }

    /// Whether `document` (recomputed from the same files) is exactly this saved plan.
    public func matches(_ document: PlanDocument) -> Bool {
        Array(document.rendered().utf8) == bytes
    }
}

import LocatedYAML
import VPNValues

extension SavedPlan {
    /// The largest plan file read.
    static let maxBytes = 256 << 20

    /// Parses a saved plan's bytes: strict JSON (RFC 8259, keys unique, integers only), every
    /// problem located.
    /// - Throws: ``ReadError/invalid(path:mark:message:)`` at the first problem.
    public static func parse(_ bytes: [UInt8], path: String) throws(ReadError) -> SavedPlan {
        guard bytes.count <= maxBytes else {
            throw .invalid(path: path, mark: .start, message: "the file is larger than \(maxBytes >> 20) MiB")
        }
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<SavedPlan, ReadError> in
            var reader = SavedPlanReader(s: JSONScanner(buffer))
            do throws(JSONReadError) {
                return .success(try reader.document(bytes))
            } catch {
                let mark = JSONScanner.mark(of: error.offset, in: buffer)
                return .failure(.invalid(path: path, mark: mark, message: error.message))
            }
        }
        return try result.get()
    }
}

/// Reads the members of a saved plan that `apply` needs, and checks the rest is valid JSON.
private struct SavedPlanReader {
    var s: JSONScanner

    mutating func document(_ bytes: [UInt8]) throws(JSONReadError) -> SavedPlan {
        guard s.peek() != nil else { throw JSONReadError(offset: s.offset, message: "the file is empty") }
        guard s.peek() == UInt8(ascii: "{") else { throw try s.notAnObject("vpnform plan") }
        let rootAt = s.offset
        s.offset += 1
        var version: String??, desired: ([String: Member], Int)?, state: ([String: Member], Int)?
        var refreshed = false
        var seen: Set<String> = [], first = true
        while let (key, at) = try s.nextKey(&first) {
            guard seen.insert(key).inserted else {
                throw JSONReadError(offset: at, message: "duplicate key \"\(key)\"")
            }
            switch key {
            case "format_version": version = try stringOrNull(key)
            case "desired_file": desired = try object(key)
            case "state_file": state = try object(key)
            case "refreshed":
                guard case .bool(let value) = try s.value(depth: 1) else {
                    throw JSONReadError(offset: at, message: "refreshed: expected true or false")
                }
                refreshed = value
            default: _ = try s.value(depth: 1)
            }
        }
        try s.expectEnd()
        func missing(_ key: String) -> JSONReadError {
            JSONReadError(offset: rootAt, message: "\(key): required field is missing")
        }
        guard let version else { throw missing("format_version") }
        guard let version, version == PlanDocument.formatVersion else {
            let shown = version.flatMap { $0 } ?? "null", expected = PlanDocument.formatVersion
            throw JSONReadError(offset: rootAt,
                                message: "format_version \(shown) is not supported (expected \(expected))")
        }
        guard let (d, dAt) = desired else { throw missing("desired_file") }
        guard let (st, sAt) = state else { throw missing("state_file") }
        func field(_ o: [String: Member], _ key: String, at: Int,
                   nullable: Bool = false) throws(JSONReadError) -> String? {
            switch o[key] {
            case nil: throw JSONReadError(offset: at, message: "\(key): required field is missing")
            case .string(let value)?: return value
            case .null? where nullable: return nil
            case .null?, .other?: throw JSONReadError(offset: at, message: "\(key): expected a string")
            }
        }
        var plan = SavedPlan(
            desiredPath: try field(d, "path", at: dAt) ?? "",
            desiredSHA256: try field(d, "sha256", at: dAt) ?? "",
            statePath: try field(st, "path", at: sAt) ?? "",
            stateSHA256: try field(st, "sha256", at: sAt, nullable: true),
            lineage: try field(st, "lineage", at: sAt) ?? "",
            bytes: bytes)
        guard plan.desiredSHA256.utf8.count == 64, plan.desiredSHA256.utf8.allSatisfy(ValueRules.isHex) else {
            throw JSONReadError(offset: dAt, message: "desired_file.sha256: expected 64 hex digits")
        }
        plan.refreshed = refreshed
        return plan
    }

    /// A string, or `nil` for `null`.
    mutating func stringOrNull(_ what: String) throws(JSONReadError) -> String? {
        if s.peek() == UInt8(ascii: "\"") { return try s.string() }
        if s.literal("null") { return nil }
        throw JSONReadError(offset: s.offset, message: "\(what): expected a string")
    }

    /// A member of `desired_file` or `state_file`: only strings and `null` are kept.
    enum Member { case string(String), null, other }

    /// An object's members, and where it starts.
    mutating func object(_ what: String) throws(JSONReadError) -> ([String: Member], Int) {
        guard s.peek() == UInt8(ascii: "{") else {
            throw JSONReadError(offset: s.offset, message: "\(what): expected an object")
        }
        let at = s.offset
        s.offset += 1
        var members: [String: Member] = [:], first = true
        while let (key, keyAt) = try s.nextKey(&first) {
            guard members[key] == nil else { throw JSONReadError(offset: keyAt, message: "duplicate key \"\(key)\"") }
            switch s.peek() {
            case UInt8(ascii: "\""): members[key] = .string(try s.string())
            case UInt8(ascii: "n") where s.literal("null"): members[key] = .null
            default:
                _ = try s.value(depth: 2)
                members[key] = .other
            }
        }
        return (members, at)
    }
}

/// A plan together with what it was computed from: the JSON form printed by `plan --json` and
/// saved by `plan --out` (documented by `schemas/plan.schema.json`).
///
/// The SHA-256 digests of the desired file and the state file, and the state's lineage, let
/// `apply PLANFILE` refuse a plan whose inputs changed since.
public struct PlanDocument: Sendable, Equatable {
    /// The version of this JSON format.
    public static let formatVersion = "1"

    /// The plan.
    public var plan: Plan
    /// The desired-state file, as named on the command line.
    public var desiredPath: String
    /// The hex SHA-256 of the desired file's bytes.
    public var desiredSHA256: String
    /// The state file's path.
    public var statePath: String
    /// The hex SHA-256 of the state file's bytes; `nil` when there was no state file.
    public var stateSHA256: String?
    /// The state's lineage (a new one when there was no state file).
    public var lineage: String

    public init(plan: Plan, desiredPath: String, desiredSHA256: String, statePath: String, stateSHA256: String?, lineage: String) {
        self.plan = plan
        self.desiredPath = desiredPath
        self.desiredSHA256 = desiredSHA256
        self.statePath = statePath
        self.stateSHA256 = stateSHA256
        self.lineage = lineage
    }

    /// The document as JSON.
    public var json: JSONValue {
        var summary: [String: JSONValue] = [:]
        for action in PlanEntry.Action.allCases { summary[action.jsonKey] = .int(plan.count(action)) }
        return .object([
            "format_version": .string(Self.formatVersion),
            "desired_file": .object(["path": .string(desiredPath), "sha256": .string(desiredSHA256)]),
            "state_file": .object(["path": .string(statePath), "sha256": stateSHA256.map(JSONValue.string) ?? .null,
                                   "lineage": .string(lineage)]),
            "summary": .object(summary),
            "pairs": .array(plan.entries.map(Self.json)),
        ])
    }

    /// Pretty JSON text with a trailing newline.
    public func rendered() -> String {
        var w = JSONWriter(style: .pretty)
        w.write(json)
        w.raw("\n")
        return w.text
    }

    static func json(_ e: PlanEntry) -> JSONValue {
        var o: [String: JSONValue] = ["address": .string(e.address.rawValue), "action": .string(e.action.rawValue)]
        if let d = e.desired {
            o["desired"] = .object([
                "gateway_id": .string(d.gatewayID.rawValue),
                "cgw_id": .string(d.cgwID.rawValue),
                "spec_digest": .string(d.digest.rawValue),
                "spec": .object(d.spec.attributes),
                "connections": .array(d.connections.map(\.json)),
            ])
        }
        if let c = e.current {
            o["current"] = .object([
                "status": .string(c.status.rawValue),
                "spec_digest": .string(c.specDigest.rawValue),
                "connections": .array(c.connections.map(\.json)),
            ])
        }
        if e.action == .change {
            o["changes"] = .array(e.changes.map { c in
                .object(["attribute": .string(c.attribute), "before": c.old ?? .null, "after": c.new ?? .null])
            })
        }
        return .object(o)
    }
}

extension PlanEntry.Action {
    /// The key in the JSON summary: `create`, `change`, `recover`, `orphan`, `no_op`.
    public var jsonKey: String { self == .noop ? "no_op" : rawValue }
}

/// A plan together with what it was computed from: the JSON form printed by `plan --json` and
/// saved by `plan --out` (documented by `schemas/plan.schema.json`).
///
/// The SHA-256 digests of the desired file and the state file, and the state's lineage, let
/// `apply PLANFILE` refuse a plan whose inputs changed since.
public struct PlanDocument: Sendable {
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
    /// Whether entries carry the connections' live status. A saved plan does not: the status
    /// changes by itself, and `apply PLANFILE` compares the recomputed plan byte for byte.
    public var withLiveStatus = true
    /// How the drift names the import command.
    public var importCommand: @Sendable (GatewayID) -> String = DriftRenderer().importCommand

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
        var o: [String: JSONValue] = [
            "format_version": .string(Self.formatVersion),
            "desired_file": .object(["path": .string(desiredPath), "sha256": .string(desiredSHA256)]),
            "state_file": .object(["path": .string(statePath), "sha256": stateSHA256.map(JSONValue.string) ?? .null,
                                   "lineage": .string(lineage)]),
            "summary": .object(summary),
            "pairs": .array(plan.entries.map { json($0) }),
        ]
        if plan.refreshed {
            o["refreshed"] = .bool(true)
            o["drift"] = .array(plan.drift.map { json($0) })
        }
        return .object(o)
    }

    func json(_ d: Drift) -> JSONValue {
        var o: [String: JSONValue] = ["kind": .string(d.kindName)]
        if let a = d.address { o["address"] = .string(a.rawValue) }
        switch d.kind {
        case .deleted(let gone): o["connections"] = .array(gone.map(\.json))
        case .changed(let changes): o["changes"] = Self.json(changes, before: "state", after: "live")
        case .adoptable(let found): o["connections"] = .array(found.map(Self.json))
        case .unmanaged(let c):
            o["connections"] = .array([Self.json(c)])
            o["import_command"] = .string(importCommand(c.gatewayID))
        }
        return .object(o)
    }

    static func json(_ c: LiveConnection) -> JSONValue {
        var o = c.record.json
        guard case .object(var fields) = o else { return o }
        fields["status"] = .string(c.status)
        fields["gateway_id"] = .string(c.gatewayID.rawValue)
        o = .object(fields)
        return o
    }

    static func json(_ changes: [AttributeChange], before: String, after: String) -> JSONValue {
        .array(changes.map { c in .object(["attribute": .string(c.attribute), before: c.old ?? .null, after: c.new ?? .null]) })
    }

    /// Pretty JSON text with a trailing newline.
    public func rendered() -> String {
        var w = JSONWriter(style: .pretty)
        w.write(json)
        w.raw("\n")
        return w.text
    }

    func json(_ e: PlanEntry) -> JSONValue {
        var o: [String: JSONValue] = [
            "address": .string(e.address.rawValue), "action": .string(e.action.rawValue),
            "actions": .array(e.action.actionList.map(JSONValue.string)),
        ]
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
        if e.action == .update || e.action == .replace {
            o["changes"] = Self.json(e.changes, before: "before", after: "after")
        }
        if e.action == .replace { o["replace_paths"] = .array(e.replacedBy.map(JSONValue.string)) }
        if withLiveStatus, let status = e.liveStatus { o["live_status"] = .array(status.map(JSONValue.string)) }
        return .object(o)
    }
}

extension PlanEntry.Action {
    /// The key in the JSON summary: `create`, `update`, `replace`, `recover`, `delete`, `no_op`.
    public var jsonKey: String { self == .noop ? "no_op" : rawValue }
}

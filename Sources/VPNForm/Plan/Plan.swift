/// What `apply` would do: one entry per pair in the desired file or the state, sorted by address.
public struct Plan: Sendable, Equatable {
    /// The entries, sorted by pair address.
    public var entries: [PlanEntry]
    /// What the live API showed that the state did not (empty for an offline plan).
    public var drift: [Drift]
    /// Whether the plan was made against the live API (`plan --refresh`, `apply`).
    public var refreshed: Bool
    /// The desired file's `moved:` entries still to be carried out (old → new address), which the
    /// entries already follow; apply records them in the state without any API call.
    public var moved: [Move] = []

    public init(entries: [PlanEntry], drift: [Drift] = [], refreshed: Bool = false) {
        self.entries = entries
        self.drift = drift
        self.refreshed = refreshed
    }

    /// How many entries have each action.
    public var counts: [PlanEntry.Action: Int] {
        // Entries are large values: the loop reads each one's action in place rather than copying it.
        var counts: [PlanEntry.Action: Int] = [:]
        for i in entries.indices { counts[entries[i].action, default: 0] += 1 }
        return counts
    }

    /// The number of entries with `action`.
    public func count(_ action: PlanEntry.Action) -> Int { counts[action] ?? 0 }

    /// Whether apply has anything to do. Drift alone (say, an unmanaged connection) is not a change.
    public var hasChanges: Bool { !moved.isEmpty || entries.indices.contains { entries[$0].action != .noop } }

    /// `Plan: 1 to create, 1 to update in place, 1 to replace, 1 to recover, 1 to delete, 3 unchanged.`
    public var summaryLine: String {
        let counts = counts
        func count(_ action: PlanEntry.Action) -> Int { counts[action] ?? 0 }
        return "Plan: \(count(.create)) to create, \(count(.update)) to update in place, \(count(.replace)) to "
            + "replace, \(count(.recover)) to recover, \(count(.delete)) to delete, \(count(.noop)) unchanged."
    }
}

/// What the plan says about one pair.
public struct PlanEntry: Sendable, Equatable {
    /// The six kinds of entry.
    public enum Action: String, Sendable, CaseIterable {
        /// Desired, not in the state: apply creates it.
        case create
        /// Created, and every attribute that differs can change in place: one PUT per connection
        /// (and the tag API for tags). Also an update an interrupted apply left `updating`.
        case update
        /// Created, but an attribute that differs cannot change in place (``PlanEntry/replacedBy``):
        /// apply deletes the connections, then creates them again. The tunnel goes down meanwhile.
        case replace
        /// In the state as pending: an earlier apply was interrupted; apply looks for its
        /// connections and adopts them before creating anything.
        case recover
        /// In the state, no longer desired: apply deletes its connections.
        case delete
        /// In the state as created, with the desired spec.
        case noop = "no-op"

        /// The marker the text plan uses.
        public var marker: String {
            switch self {
            case .create: return "+"
            case .update: return "~"
            case .replace: return "-/+"
            case .recover: return "!"
            case .delete: return "-"
            case .noop: return " "
            }
        }

        /// Terraform's action list: `["update"]`, `["delete", "create"]`, `["delete"]`, `["no-op"]`.
        public var actionList: [String] {
            switch self {
            case .create, .recover: return ["create"]
            case .update: return ["update"]
            case .replace: return ["delete", "create"]
            case .delete: return ["delete"]
            case .noop: return ["no-op"]
            }
        }

        /// Whether apply removes connections for it (what the guards count).
        public var destroys: Bool { self == .replace || self == .delete }
    }

    /// The pair's address.
    public var address: PairAddress
    /// What apply would do.
    public var action: Action
    /// The desired pair; `nil` for a delete.
    public var desired: DesiredPair?
    /// What the state holds; `nil` for a create.
    public var current: PairState?
    /// For an update or replace: each attribute that differs.
    public var changes: [AttributeChange]
    /// For a replace: the attributes that cannot change in place (`replace_paths`).
    public var replacedBy: [String] = []
    /// The live status of each connection (`ACTIVE`, `DOWN` …), in a refreshed plan.
    public var liveStatus: [String]?

    public init(address: PairAddress, action: Action, desired: DesiredPair?, current: PairState?, changes: [AttributeChange] = []) {
        self.address = address
        self.action = action
        self.desired = desired
        self.current = current
        self.changes = changes
    }
}

/// A pair as the desired file describes it, reduced to what the plan and state need.
public struct DesiredPair: Sendable, Equatable {
    public var gatewayID: GatewayID
    public var cgwID: CustomerGatewayID
    public var spec: PairSpec
    /// The digest of ``spec``.
    public var digest: SpecDigest { spec.digest }
    /// The API connections the pair consists of: name and gateway IP, in IP order (read from the
    /// spec, which holds them).
    public var connections: [ConnectionRecord] { spec.connectionRecords }

    /// The desired pair of `connection` on `gateway` (which must be valid).
    public init(gateway: Gateway, connection: Connection) {
        var scratch = CanonicalObject()
        self.init(gateway: gateway, connection: connection, current: nil, scratch: &scratch)
    }

    /// The desired pair, its spec written into `scratch`; when that is `current`'s bytes, the pair
    /// shares `current`'s storage instead of keeping a copy (an unchanged pair costs no allocation).
    /// Borrowed, not taken: an initializer's arguments are the caller's copies otherwise.
    init(gateway: borrowing Gateway, connection: borrowing Connection, current: PairSpec?, scratch: inout CanonicalObject) {
        gatewayID = gateway.id.value
        cgwID = connection.spec.cgwID?.value ?? CustomerGatewayID("")
        PairSpec.write(gateway: gateway, connection: connection, into: &scratch)
        scratch.close()
        spec = scratch.withBytes { written in
            if let current, current.hasCanonical(written) { return current }
            return PairSpec(canonical: Array(written))
        }
    }
}

extension PlanEntry {
    /// Whether apply makes calls for it (everything but a no-op).
    public var makesCalls: Bool { action != .noop }

    /// Whether apply sends its pre-shared key: it creates connections, or the key's reference changed.
    public var needsKey: Bool {
        switch action {
        case .create, .recover, .replace: return desired != nil
        case .update: return changes.contains { $0.attribute == "psk" }
        case .delete, .noop: return false
        }
    }
}

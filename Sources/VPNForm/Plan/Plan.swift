/// What `apply` would do: one entry per pair in the desired file or the state, sorted by address.
public struct Plan: Sendable, Equatable {
    /// The entries, sorted by pair address.
    public var entries: [PlanEntry]
    /// What the live API showed that the state did not (empty for an offline plan).
    public var drift: [Drift]
    /// Whether the plan was made against the live API (`plan --refresh`, `apply`).
    public var refreshed: Bool

    public init(entries: [PlanEntry], drift: [Drift] = [], refreshed: Bool = false) {
        self.entries = entries
        self.drift = drift
        self.refreshed = refreshed
    }

    /// How many entries have each action.
    public var counts: [PlanEntry.Action: Int] {
        entries.reduce(into: [:]) { $0[$1.action, default: 0] += 1 }
    }

    /// The number of entries with `action`.
    public func count(_ action: PlanEntry.Action) -> Int { counts[action] ?? 0 }

    /// Whether apply has anything to do. Drift alone (say, an unmanaged connection) is not a change.
    public var hasChanges: Bool { entries.contains { $0.action != .noop } }

    /// `Plan: 1 to create, 1 to change, 1 to recover, 1 orphaned, 3 unchanged.`
    public var summaryLine: String {
        "Plan: \(count(.create)) to create, \(count(.change)) to change, \(count(.recover)) to recover, \(count(.orphan)) orphaned, \(count(.noop)) unchanged."
    }
}

/// What the plan says about one pair.
public struct PlanEntry: Sendable, Equatable {
    /// The five kinds of entry.
    public enum Action: String, Sendable, CaseIterable {
        /// Desired, not in the state: apply creates it.
        case create
        /// In the state as created, but its spec differs from the desired one.
        case change
        /// In the state as pending: an earlier apply was interrupted; apply looks for its
        /// connections and adopts them before creating anything.
        case recover
        /// In the state, no longer desired. vpnform does not delete connections.
        case orphan
        /// In the state as created, with the desired spec.
        case noop = "no-op"

        /// The marker the text plan uses.
        public var marker: String {
            switch self {
            case .create: return "+"
            case .change: return "~"
            case .recover: return "!"
            case .orphan: return "-"
            case .noop: return " "
            }
        }
    }

    /// The pair's address.
    public var address: PairAddress
    /// What apply would do.
    public var action: Action
    /// The desired pair; `nil` for an orphan (and for a recover that is no longer desired).
    public var desired: DesiredPair?
    /// What the state holds; `nil` for a create.
    public var current: PairState?
    /// For a change: each attribute that differs.
    public var changes: [AttributeChange]
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
    /// The API connections the pair consists of: name and gateway IP, in IP order.
    public var connections: [ConnectionRecord]

    /// The desired pair of `connection` on `gateway` (which must be valid).
    public init(gateway: Gateway, connection: Connection) {
        gatewayID = gateway.id.value
        cgwID = connection.spec.cgwID?.value ?? CustomerGatewayID("")
        let names = gateway.apiNames(of: connection)
        spec = PairSpec(gateway: gateway, connection: connection, names: names)
        connections = zip(names, gateway.ips.value).map { ConnectionRecord(id: nil, name: $0.value, vgwIP: $1.value, createdAt: nil) }
    }
}

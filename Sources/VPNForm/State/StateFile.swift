/// The state file: what vpnform has created, committed to git beside the desired-state file.
///
/// It has no serial and no timestamp that change on every write: the bytes depend only on the
/// pairs, so two branches that touch different pairs differ only in those pairs' lines.
public struct StateFile: Sendable, Equatable {
    /// The value of `format`.
    public static let format = "vpnform-state"
    /// The only version this vpnform reads and writes.
    public static let version = 1

    /// Identifies one state's history: a saved plan records it, and a state of another lineage is refused.
    public var lineage: String
    /// Every pair vpnform knows of, by address.
    public var pairs: [PairAddress: PairState]
    /// The project and region the pairs were applied to; `nil` before the first apply (and in
    /// states written before vpnform recorded it).
    public var cloud: CloudTarget?

    /// Creates a state.
    public init(lineage: String, pairs: [PairAddress: PairState] = [:], cloud: CloudTarget? = nil) {
        self.lineage = lineage
        self.pairs = pairs
        self.cloud = cloud
    }

    /// An empty state with a new random lineage: what a missing state file means.
    public static func empty() -> StateFile {
        StateFile(lineage: UUIDText.random())
    }
}

/// What the state records of one pair.
public struct PairState: Sendable, Equatable {
    /// Where the pair is in its lifecycle: the journal's intents.
    public enum Status: String, Sendable, CaseIterable {
        /// A batch-create was (or may have been) sent and its answer is not recorded: an
        /// interrupted apply. The next apply looks for the connections before creating them.
        case pending
        /// The API returned the connections' IDs, recorded in ``PairState/connections``.
        case created
        /// An update in place is under way (or was interrupted): the spec is the one being
        /// sent. PUT sets values, so the next apply sends it again.
        case updating
        /// A delete is under way (or was interrupted), for a delete or the first half of a
        /// replace: the next apply deletes what is left (a 404 counts as deleted).
        case deleting
    }

    /// The gateway's `vgw_id`.
    public var gatewayID: GatewayID
    /// The customer gateway's id.
    public var cgwID: CustomerGatewayID {
        get { CustomerGatewayID(storedCGWID.text) }
        set { storedCGWID = CompactIDText(newValue.rawValue) }
    }
    private var storedCGWID: CompactIDText
    /// One record per gateway IP: expected names while pending, IDs once created.
    public var connections: [ConnectionRecord]
    /// The spec the pair was created from (non-secret), so a plan can show what changed.
    public var spec: PairSpec
    /// Pending or created.
    public var status: Status

    /// The digest of ``spec``, which the state file records beside it: derived, so the two cannot
    /// disagree (a spec read from a state keeps the digest its reader checked).
    public var specDigest: SpecDigest { spec.digest }

    /// Creates the record of a pair.
    public init(gatewayID: GatewayID, cgwID: CustomerGatewayID, connections: [ConnectionRecord], spec: PairSpec,
                status: Status) {
        self.init(gatewayID: gatewayID, storedCGWID: CompactIDText(cgwID.rawValue), connections: connections,
                  spec: spec, status: status)
    }

    /// A record whose customer gateway id is held as a state holds it.
    init(gatewayID: GatewayID, storedCGWID: CompactIDText, connections: [ConnectionRecord], spec: PairSpec,
         status: Status) {
        self.gatewayID = gatewayID
        self.storedCGWID = storedCGWID
        self.connections = connections
        self.spec = spec
        self.status = status
    }
}

/// One API connection of a pair.
public struct ConnectionRecord: Sendable, Equatable {
    /// The id the API returned; `nil` while the pair is pending.
    public var id: ConnectionID? {
        get { storedID.map { ConnectionID($0.text) } }
        set { storedID = newValue.map { CompactIDText($0.rawValue) } }
    }
    private var storedID: CompactIDText?
    /// Whether the record has an ``id`` (without building its text).
    var hasID: Bool { storedID != nil }
    /// The connection's API name (how an interrupted apply finds it).
    public var name: String
    /// The gateway IP (EIP id or private IP) it is on.
    public var vgwIP: String
    /// The API's `created_at`, as returned.
    public var createdAt: String?

    /// Creates a record.
    public init(id: ConnectionID?, name: String, vgwIP: String, createdAt: String?) {
        self.init(storedID: id.map { CompactIDText($0.rawValue) }, name: name, vgwIP: vgwIP, createdAt: createdAt)
    }

    /// A record whose id is held as a state holds it.
    init(storedID: CompactIDText?, name: String, vgwIP: String, createdAt: String?) {
        self.storedID = storedID
        self.name = name
        self.vgwIP = vgwIP
        self.createdAt = createdAt
    }
}

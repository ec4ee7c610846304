/// What the API showed of some gateways' connections, in the state's terms: the input that makes
/// a plan "refreshed". The API layer builds it; the planner only reads it, so planning stays pure.
public struct LiveView: Sendable, Equatable {
    /// The gateways whose connections were all read: a connection missing from one of them is gone.
    public var gateways: Set<GatewayID>
    /// Every connection read, in the order the API listed them (oldest first).
    public var connections: [LiveConnection] {
        didSet { byGateway = Self.index(connections) }
    }
    /// The connections by gateway, so a pair's look is not a scan of the whole project.
    private var byGateway: [GatewayID: [LiveConnection]]

    public init(gateways: Set<GatewayID>, connections: [LiveConnection]) {
        self.gateways = gateways
        self.connections = connections
        byGateway = Self.index(connections)
    }

    /// The connections of one gateway, oldest first.
    public func connections(on gateway: GatewayID) -> [LiveConnection] { byGateway[gateway] ?? [] }

    private static func index(_ connections: [LiveConnection]) -> [GatewayID: [LiveConnection]] {
        Dictionary(grouping: connections, by: \.gatewayID)
    }
}

/// One connection as the API shows it.
public struct LiveConnection: Sendable, Equatable {
    public var id: ConnectionID
    public var name: String
    public var gatewayID: GatewayID
    public var vgwIP: String
    /// `ACTIVE`, `DOWN`, `ERROR`, `PENDING_CREATE` …, as the API says.
    public var status: String
    public var createdAt: String?
    /// Its attributes under the spec's names: pair-wide ones (`cgw_id`, `ikepolicy.dh_group`, …)
    /// and per-connection ones without their `connections[i].` prefix (`name`, `ha_role`,
    /// `tunnel_local_address`, …). Never a pre-shared key: the API does not return one.
    public var attributes: [String: JSONValue]

    public init(id: ConnectionID, name: String, gatewayID: GatewayID, vgwIP: String, status: String,
                createdAt: String?, attributes: [String: JSONValue]) {
        self.id = id
        self.name = name
        self.gatewayID = gatewayID
        self.vgwIP = vgwIP
        self.status = status
        self.createdAt = createdAt
        self.attributes = attributes
    }

    /// The record the state keeps of it.
    public var record: ConnectionRecord {
        ConnectionRecord(id: id, name: name, vgwIP: vgwIP, createdAt: createdAt)
    }

    /// The per-connection attributes of a spec (`connections[i].name` …), without the prefix.
    public static let perConnectionKeys: Set<String> = ["ha_role", "name", "tunnel_local_address", "tunnel_peer_address", "vgw_ip"]
}

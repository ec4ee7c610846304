/// One desired connection of a gateway: together with the gateway it forms a *pair*, created by
/// one batch-create call holding one API connection per gateway IP.
public struct Connection: Sendable, Equatable {
    /// The connection's handle, unique within its gateway.
    public var name: Located<String>
    /// The connection's position in its gateway's `connections` list (for diagnostics).
    public var index: Int
    /// Where the connection's mapping starts.
    public var mark: Mark
    /// The fields as written on the connection.
    public var fields: ConnectionFields
    /// The fields in force: ``fields`` merged over the file's `defaults`.
    public var spec: ConnectionFields
    /// Per-IP overrides, one per gateway IP when present.
    public var tunnels: Located<[Tunnel]>?
    /// `prevent_destroy: true`: a plan that deletes or replaces the pair is an error.
    public var preventDestroy = false

    public init(name: Located<String>, index: Int, mark: Mark, fields: ConnectionFields, spec: ConnectionFields, tunnels: Located<[Tunnel]>?) {
        self.name = name
        self.index = index
        self.mark = mark
        self.fields = fields
        self.spec = spec
        self.tunnels = tunnels
    }
}

/// A VPN gateway and the connections it must have.
public struct Gateway: Sendable, Equatable {
    /// The gateway's local handle, unique in the file.
    public var name: Located<String>
    /// The gateway's position in the file's `gateways` list (for diagnostics).
    public var index: Int
    /// The gateway's `vgw_id`.
    public var id: Located<GatewayID>
    /// `vgw_ip` values (EIP ids or private IPv4 addresses), one or two, in order.
    public var ips: Located<[Located<String>]>
    /// The desired connections.
    public var connections: [Connection]
    /// `prevent_destroy: true`: a plan that deletes or replaces any of its pairs is an error.
    public var preventDestroy = false
    /// Where the gateway's mapping starts.
    public var mark: Mark

    public init(name: Located<String>, index: Int, id: Located<GatewayID>, ips: Located<[Located<String>]>, connections: [Connection], mark: Mark) {
        self.name = name
        self.index = index
        self.id = id
        self.ips = ips
        self.connections = connections
        self.mark = mark
    }

    /// `gateways[i]`, the gateway's path in diagnostics.
    public var path: String { "gateways[\(index)]" }

    /// `gateways[i].connections[j]`, a connection's path in diagnostics.
    public func path(of connection: Connection) -> String { "\(path).connections[\(connection.index)]" }

    /// The address of one of this gateway's pairs.
    public func address(of connection: Connection) -> PairAddress {
        PairAddress(gateway: name.value, connection: connection.name.value)
    }

    /// The API names of a connection's per-IP connections: `GATEWAY-CONNECTION-N` unless
    /// `tunnels[i].name` overrides.
    public func apiNames(of connection: Connection) -> [Located<String>] {
        ips.value.indices.map { i in
            if let tunnels = connection.tunnels?.value, i < tunnels.count, let name = tunnels[i].name { return name }
            return Located("\(name.value)-\(connection.name.value)-\(i + 1)", at: connection.name.mark)
        }
    }
}

/// The desired state: what `vpnform.yaml` says must exist.
public struct DesiredState: Sendable, Equatable {
    /// The file's schema version (1).
    public var version: Int
    /// The project id, if the file sets it (otherwise `HUAWEICLOUD_SDK_PROJECT_ID`).
    public var projectID: Located<String>?
    /// The region, e.g. `cn-north-4`.
    public var region: Located<String>?
    /// An endpoint that overrides the one derived from the region.
    public var endpoint: Located<String>?
    /// Connection fields every connection inherits unless it sets them itself.
    public var defaults: ConnectionFields
    /// The gateways, in file order.
    public var gateways: [Gateway]
    /// Where the document's top-level mapping starts.
    public var mark: Mark
    /// `moved:`: renamed pair addresses or gateway names, applied to the state before planning.
    public var moved: [Move] = []

    public init(version: Int, projectID: Located<String>?, region: Located<String>?, endpoint: Located<String>?, defaults: ConnectionFields, gateways: [Gateway], mark: Mark) {
        self.version = version
        self.projectID = projectID
        self.region = region
        self.endpoint = endpoint
        self.defaults = defaults
        self.gateways = gateways
        self.mark = mark
    }

    /// Number of pairs (gateway × connection).
    public var pairCount: Int { gateways.reduce(0) { $0 + $1.connections.count } }

    /// Number of API connections the pairs amount to (one per pair per gateway IP).
    public var apiConnectionCount: Int { gateways.reduce(0) { $0 + $1.connections.count * $1.ips.value.count } }
}

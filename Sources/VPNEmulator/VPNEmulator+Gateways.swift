import Foundation
import VPNAPI

// Gateways: the library API tests and `apply --emulator` use, the two read endpoints, and the
// gateway checks of batch-create.
extension VPNEmulator {
    // MARK: Library API

    /// Makes a gateway as the console would: ACTIVE, with `ips` as its addresses.
    /// - Parameters:
    ///   - id: The gateway's `vgw_id`.
    ///   - ips: One or two `vgw_ip` values: an IPv4 text becomes `access_private_ip_N` (network type
    ///     `private`), anything else the id of `eipN` with a made-up `ip_address` (network type `public`).
    ///   - haMode: `active-active` or `active-standby`.
    ///   - attachmentType: `vpc` or `er`.
    ///   - connectionNumber: The gateway's connection quota.
    /// - Returns: The gateway, to pass to ``addGateway(_:project:)`` or ``EmulatorConfiguration/gateways``.
    public static func makeGateway(id: String, ips: [String], haMode: String = "active-active",
                                   attachmentType: String = "vpc",
                                   connectionNumber: Int = defaultConnectionNumber) -> VPNGateway {
        GatewayFactory.make(id: id, ips: ips, haMode: haMode, attachmentType: attachmentType,
                            connectionNumber: connectionNumber)
    }

    /// `connection_number` of a made gateway when no quota is configured (1000).
    public static var defaultConnectionNumber: Int { GatewayFactory.defaultConnectionNumber }

    /// Stores `gateway`, replacing one of the same id and project.
    /// - Parameters:
    ///   - gateway: The gateway; its `used_connection_number` is ignored (answers count the connections).
    ///   - project: The project that owns it; `nil` makes it visible in every project.
    public func addGateway(_ gateway: VPNGateway, project: String? = nil) {
        let created = nowMillis
        state.withLock { s in
            let old = s.store.gateways[StoredGateway.key(project: project, id: gateway.id)]
            s.store.put(StoredGateway(projectID: project, gateway: gateway, madeOnTheFly: false,
                                      createdMillis: old?.createdMillis ?? created))
            try? s.store.persist()
        }
    }

    /// The gateways as the list endpoint answers them, oldest first.
    /// - Parameter project: The project whose view to give (its own gateways and those visible in every
    ///   project); `nil` for every stored gateway, with connections counted over all projects.
    public func gateways(project: String? = nil) -> [VPNGateway] {
        state.withLock { s in
            guard let project else {
                return s.store.allGateways.map { g in
                    var v = g.gateway
                    v.usedConnectionNumber = g.projectID.map { s.store.usedConnections(project: $0, gateway: v.id) }
                        ?? s.store.usedConnections(gateway: v.id)
                    return v
                }
            }
            return s.store.gateways(project: project).map { Self.answer($0, project: project, store: s.store).gateway }
        }
    }

    /// Edits stored gateways as a console user (or the cloud) would: status, addresses, quota, HA mode.
    /// - Parameters:
    ///   - id: The gateway's id.
    ///   - project: Only the gateway stored under this project (`nil`: every stored gateway of that id).
    ///   - change: The edit; a change of `id` is ignored.
    /// - Returns: Whether a gateway was found.
    @discardableResult
    public func updateGateway(id: String, project: String? = nil, _ change: (inout VPNGateway) -> Void) -> Bool {
        state.withLock { s in
            let matching = s.store.allGateways.filter {
                $0.gateway.id == id && (project == nil || $0.projectID == project)
            }
            for var g in matching {
                change(&g.gateway)
                g.gateway.id = id
                s.store.put(g)
            }
            if !matching.isEmpty { try? s.store.persist() }
            return !matching.isEmpty
        }
    }

    // MARK: Endpoints

    /// `GET /v5/{project_id}/vpn-gateways`: filters `vgw_id` and `enterprise_project_id` (each repeatable);
    /// not paged.
    func listGateways(_ request: EmulatorRequest, _ project: String, _ requestID: String) -> EmulatorReply {
        let filters = Self.queryFilters(request.rawQuery)
        let shown: [GatewayAnswer] = state.withLock { s in
            s.store.gateways(project: project).map { Self.answer($0, project: project, store: s.store) }
        }
        let matching = shown.filter { a in
            (filters["vgw_id"].map { $0.contains(a.gateway.id) } ?? true)
                && (filters["enterprise_project_id"].map {
                    $0.contains("all_granted_eps") || $0.contains(a.gateway.enterpriseProjectID ?? "0")
                } ?? true)
        }
        return json(200, ListAnswer(vpnGateways: matching, requestID: requestID), requestID)
    }

    /// `GET /v5/{project_id}/vpn-gateways/{vgw_id}`; 404 `VPN.0509` for a gateway the project cannot see.
    func showGateway(_ id: String, _ project: String, _ requestID: String) -> EmulatorReply {
        let found: GatewayAnswer? = state.withLock { s in
            s.store.gateway(id: id, project: project).map { Self.answer($0, project: project, store: s.store) }
        }
        guard let found else {
            let refusal = GatewayRefusal.unknown(gateway: id)
            return error(refusal.status, refusal.code, refusal.message, requestID)
        }
        return json(200, ShowAnswer(vpnGateway: found, requestID: requestID), requestID)
    }

    // MARK: Batch-create's gateway checks

    /// The gateway a batch-create may go ahead on, with any address it adopts, or why not. An unknown
    /// gateway is made (not yet stored) when ``EmulatorConfiguration/autoCreateGateways`` is on.
    func admit(_ body: BatchCreateRequest, project: String, store: EmulatorStore,
               nowMillis: Int64) -> Result<StoredGateway, GatewayRefusal> {
        let id = body.vpnConnections[0].vgwID, ips = body.vpnConnections.map(\.vgwIP)
        var gateway: StoredGateway
        if let known = store.gateway(id: id, project: project) {
            gateway = known
        } else if configuration.autoCreateGateways {
            let made = GatewayFactory.make(
                id: id, ips: ips, haMode: "active-active", attachmentType: "vpc",
                connectionNumber: configuration.quotaPerGateway ?? Self.defaultConnectionNumber)
            gateway = StoredGateway(projectID: project, gateway: made, madeOnTheFly: true, createdMillis: nowMillis)
        } else {
            return .failure(.unknown(gateway: id))
        }
        let status = gateway.gateway.status ?? "ACTIVE"
        guard status == "ACTIVE" else { return .failure(.notActive(gateway: id, status: status)) }
        for (index, ip) in ips.enumerated() {
            if gateway.madeOnTheFly {
                gateway.adopt(ip: ip)
            } else if !gateway.gateway.connectionIPs.contains(ip) {
                return .failure(.foreignAddress(index: index, ip: ip, gateway: id))
            }
        }
        if let limit = gateway.gateway.connectionNumber,
           store.usedConnections(project: project, gateway: id) + ips.count > limit {
            return .failure(.quota(gateway: id, limit: limit))
        }
        return .success(gateway)
    }

    // MARK: Helpers

    /// A stored gateway as `project` is shown it: with its connections counted.
    static func answer(_ g: StoredGateway, project: String, store: EmulatorStore) -> GatewayAnswer {
        var v = g.gateway
        v.usedConnectionNumber = store.usedConnections(project: project, gateway: v.id)
        return GatewayAnswer(gateway: v, createdMillis: g.createdMillis)
    }

    /// A query's values by name (names repeat), percent-decoded.
    static func queryFilters(_ rawQuery: String) -> [String: [String]] {
        var filters: [String: [String]] = [:]
        for item in rawQuery.split(separator: "&") {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { Signer.percentDecode(String($0)) }
            filters[kv[0], default: []].append(kv.count > 1 ? kv[1] : "")
        }
        return filters
    }

    /// A duration in whole milliseconds.
    static func millis(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}

/// `ResponseVpnGateway` as the emulator answers it: ``VPNGateway``'s fields plus the ones vpnform does
/// not read but the API always sends.
struct GatewayAnswer: Encodable {
    var gateway: VPNGateway
    var createdMillis: Int64

    private enum ExtraKeys: String, CodingKey {
        case ipVersion = "ip_version", bgpASN = "bgp_asn", createdAt = "created_at", updatedAt = "updated_at", tags
    }

    func encode(to encoder: any Encoder) throws {
        try gateway.encode(to: encoder)
        var c = encoder.container(keyedBy: ExtraKeys.self)
        try c.encode("ipv4", forKey: .ipVersion)
        try c.encode(64512, forKey: .bgpASN)
        let time = ConnectionDefaults.timestamp(createdMillis)
        try c.encode(time, forKey: .createdAt)
        try c.encode(time, forKey: .updatedAt)
        try c.encode([ResourceTag](), forKey: .tags)
    }
}

/// `ShowVgwResponse` as answered.
private struct ShowAnswer: Encodable {
    var vpnGateway: GatewayAnswer
    var requestID: String
    enum CodingKeys: String, CodingKey { case vpnGateway = "vpn_gateway", requestID = "request_id" }
}

/// `ListVgwsResponse` as answered.
private struct ListAnswer: Encodable {
    var vpnGateways: [GatewayAnswer]
    var requestID: String
    enum CodingKeys: String, CodingKey { case vpnGateways = "vpn_gateways", requestID = "request_id" }
}

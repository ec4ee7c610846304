import Foundation
import LoopbackHTTP
import VPNAPI
import VPNCrypto
import VPNValues

/// How an emulator behaves.
public struct EmulatorConfiguration: Sendable {
    /// The AK requests must be signed with.
    public var accessKey: String
    /// The SK requests must be signed with.
    public var secretKey: Secret
    /// How long every answer takes: from a request's arrival to its answer, the emulator's own
    /// work included (as a real API's latency includes its backend's).
    public var latency: Duration
    /// Faults to inject.
    public var faults: [FaultRule]
    /// Seed of the fault draws.
    public var seed: UInt64
    /// Most connections one gateway may have; `nil` for no limit.
    public var quotaPerGateway: Int?
    /// A JSON file holding the connections across restarts; `nil` for memory only.
    public var dataFile: String?
    /// Largest clock skew of `X-Sdk-Date` accepted.
    public var maxClockSkew: TimeInterval
    /// Gateways every project sees from the start (added unless the data file already holds them).
    public var gateways: [VPNGateway]
    /// Whether a batch-create on an unknown gateway makes it (ACTIVE, addresses from the request's
    /// `vgw_ip`s) instead of answering 404 `VPN.0509`.
    public var autoCreateGateways: Bool
    /// How long a created connection stays `PENDING_CREATE` before it is `DOWN` (or `ERROR`).
    public var settle: Duration
    /// The clock of creation times and status changes (signatures are checked against the real clock).
    public var now: @Sendable () -> Date

    public init(accessKey: String, secretKey: Secret, latency: Duration = .zero, faults: [FaultRule] = [], seed: UInt64 = 1,
                quotaPerGateway: Int? = nil, dataFile: String? = nil, maxClockSkew: TimeInterval = 15 * 60,
                gateways: [VPNGateway] = [], autoCreateGateways: Bool = true, settle: Duration = .zero,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.latency = latency
        self.faults = faults
        self.seed = seed
        self.quotaPerGateway = quotaPerGateway
        self.dataFile = dataFile
        self.maxClockSkew = maxClockSkew
        self.gateways = gateways
        self.autoCreateGateways = autoCreateGateways
        self.settle = settle
        self.now = now
    }

    /// A fresh random AK/SK pair for a throwaway emulator.
    public static func randomCredentials() -> (accessKey: String, secretKey: Secret) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let ak = "EMU" + String((0..<17).map { _ in alphabet.randomElement()! })
        let sk = Hex.encode((0..<20).map { _ in UInt8.random(in: 0...255) })
        return (ak, Secret(sk))
    }
}

/// An emulator of the Huawei Cloud VPN API's connection and gateway endpoints, faithful to the reference:
/// it verifies `SDK-HMAC-SHA256` signatures and clock skew, validates batch-create bodies, answers
/// in the documented shapes with server defaults filled in, pages lists by `marker`, and injects
/// faults (latency, 429 with `Retry-After`, 5xx, connections dropped before or after commit).
public final class VPNEmulator: Sendable {
    struct State {
        var store: EmulatorStore
        var random: SplitMix64
        var faults: [FaultRule]
        var requestCount = 0
        var batchCreates: [ReceivedBatchCreate] = []
    }

    let configuration: EmulatorConfiguration
    let state: PThreadLocked<State>
    private let signer: Signer

    /// Creates an emulator, loading its data file if there is one.
    /// - Throws: When the data file exists but cannot be read, or seeded gateways cannot be written to it.
    public init(configuration: EmulatorConfiguration) throws {
        self.configuration = configuration
        var store = try EmulatorStore(dataFile: configuration.dataFile)
        let created = Int64(configuration.now().timeIntervalSince1970 * 1000)
        let seeds = configuration.gateways.filter { store.gateways[StoredGateway.key(project: nil, id: $0.id)] == nil }
        for g in seeds {
            store.put(StoredGateway(projectID: nil, gateway: g, madeOnTheFly: false, createdMillis: created))
        }
        // Kept at once, so a restart with only the data file still has them.
        if !seeds.isEmpty { try store.persist() }
        state = PThreadLocked(State(store: store, random: SplitMix64(seed: configuration.seed), faults: configuration.faults))
        signer = Signer(accessKey: configuration.accessKey, secretKey: configuration.secretKey)
    }

    /// Replaces the faults (tests inject and clear them while the emulator runs).
    public func setFaults(_ faults: [FaultRule]) {
        state.withLock { $0.faults = faults }
    }

    /// Writes everything the emulator holds to `path` as a `--data` file: a large estate is filled
    /// quickly in memory, then served by an emulator started from the file.
    public func save(to path: String) throws {
        try state.withLock { try $0.store.save(to: path) }
    }

    /// Every stored connection of a project (or of all projects), oldest first, with its current status.
    public func connections(project: String? = nil) -> [VPNConnection] {
        let now = nowMillis
        return state.withLock { s in
            s.store.connections.values
                .filter { project == nil || $0.projectID == project }
                .filter { $0.current(atMillis: now).status != StoredConnection.deleted }
                .sorted { $0.createdMillis < $1.createdMillis }.map { $0.current(atMillis: now) }
        }
    }

    /// The configured clock, in milliseconds since 1970.
    var nowMillis: Int64 { Int64(configuration.now().timeIntervalSince1970 * 1000) }

    /// Requests handled so far.
    public var requestCount: Int { state.withLock { $0.requestCount } }

    /// Every batch-create received so far, in order of arrival.
    public var receivedBatchCreates: [ReceivedBatchCreate] { state.withLock { $0.batchCreates } }

    // MARK: Handling

    /// Answers one request, ``EmulatorConfiguration/latency`` after it arrived. Safe to call from
    /// many threads at once.
    public func handle(_ request: EmulatorRequest) -> EmulatorReply {
        let deadline = Deadline(after: configuration.latency)
        let reply = answer(request)
        deadline.wait()
        return reply
    }

    private func answer(_ request: EmulatorRequest) -> EmulatorReply {
        let requestID = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        state.withLock { $0.requestCount += 1 }
        let now = nowMillis
        state.withLock { s in if s.store.purgeDeleted(atMillis: now) { try? s.store.persist() } }
        if let failure = authenticate(request) {
            return error(401, "APIGW.0301", "Incorrect IAM authentication information: \(failure)", requestID)
        }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // "", "v5", project, collection, [id | "batch-create"]
        guard segments.count >= 4, segments[0].isEmpty, segments[1] == "v5", !segments[2].isEmpty else {
            return error(404, "APIGW.0101", "The API does not exist or has not been published in the environment", requestID)
        }
        let project = Signer.percentDecode(segments[2])
        if let header = request.header("X-Project-Id"), header != project {
            return error(400, "VPN.0001", "invalid request: X-Project-Id does not match the project in the path", requestID)
        }
        switch (request.method, Array(segments.dropFirst(3))) {
        case ("POST", ["vpn-connections", "batch-create"]):
            // Parsed once: recorded as received, then checked and carried out.
            let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            let items = object?["vpn_connections"] as? [[String: Any]]
            record(request, names: items?.compactMap { $0["name"] as? String } ?? [])
            return withFault(.batchCreate, requestID) { batchCreate(request, items, project, requestID, fault: $0) }
        case ("GET", ["vpn-connection"]):
            return withFault(.list, requestID) { _ in list(request, project, requestID) }
        case ("GET", let rest) where rest.count == 2 && rest[0] == "vpn-connection":
            return withFault(.show, requestID) { _ in show(Signer.percentDecode(rest[1]), project, requestID) }
        case ("DELETE", let rest) where rest.count == 2 && rest[0] == "vpn-connection":
            return withFault(.delete, requestID) { _ in delete(Signer.percentDecode(rest[1]), project, requestID) }
        case ("PUT", let rest) where rest.count == 2 && rest[0] == "vpn-connection":
            let id = Signer.percentDecode(rest[1])
            return withFault(.update, requestID) { _ in update(request, id, project, requestID) }
        case ("POST", let rest) where rest.count == 4 && rest[0] == "vpn-connection" && rest[2] == "tags"
            && (rest[3] == "create" || rest[3] == "delete"):
            let id = Signer.percentDecode(rest[1])
            let create = rest[3] == "create"
            return withFault(.tags, requestID) { _ in tags(request, id, project, create: create, requestID) }
        case ("GET", let rest) where rest.count == 3 && rest[0] == "vpn-connection" && rest[2] == "tags":
            return withFault(.show, requestID) { _ in listTags(Signer.percentDecode(rest[1]), project, requestID) }
        case ("GET", ["vpn-gateways"]):
            return withFault(.listGateways, requestID) { _ in listGateways(request, project, requestID) }
        case ("GET", let rest) where rest.count == 2 && rest[0] == "vpn-gateways":
            let id = Signer.percentDecode(rest[1])
            return withFault(.showGateway, requestID) { _ in showGateway(id, project, requestID) }
        default:
            return error(404, "APIGW.0101", "The API does not exist or has not been published in the environment", requestID)
        }
    }

    private func record(_ request: EmulatorRequest, names: [String]) {
        let signature = request.header("Authorization")?.components(separatedBy: "Signature=").last ?? ""
        let received = ReceivedBatchCreate(signature: signature, names: names,
                                           connectionNumber: request.connectionNumber,
                                           earlierRequestsOnConnection: request.earlierRequestsOnConnection)
        state.withLock { $0.batchCreates.append(received) }
    }

    /// Draws the faults of `operation`; runs `body` unless a fault replaces it. `body`'s argument
    /// is the fault drawn that lets the work happen (`dropAfterCommit`, `errorStatus`), if any.
    private func withFault(_ operation: FaultRule.Operation, _ requestID: String,
                           _ body: (FaultRule.Kind?) -> EmulatorReply) -> EmulatorReply {
        let fault: FaultRule.Kind? = state.withLock { s in
            for rule in s.faults where rule.operation == operation {
                if s.random.nextUnit() < rule.rate { return rule.kind }
            }
            return nil
        }
        switch fault {
        case .status(400)?:
            // A refusal of one request that says nothing of the credentials: the route quota case.
            return error(400, "VPN.0218", "Failed to update the VPC route table: the route quota is used up", requestID)
        case .status(401)?:
            let reason = "the access key is expired or disabled"
            return error(401, "APIGW.0301", "Incorrect IAM authentication information: \(reason)", requestID)
        case .status(403)?:
            return error(403, "VPN.0007", "Policy doesn't allow \(Self.action(operation)) to be performed.", requestID)
        case .status(429)?:
            return .respond(status: 429, headers: ["Retry-After": "1", "X-Request-Id": requestID, "Content-Type": "application/json"],
                            body: Self.errorBody("VPN.0429", "Too many requests, please retry later", requestID))
        case .status(504)?:
            return error(504, "VPN.0014", "System busy, please retry later", requestID)
        case .status(let status)?:
            return error(status, "VPN.0002", "Server error", requestID)
        case .dropBeforeCommit?:
            return .drop
        case .dropAfterCommit?:
            let reply = body(.dropAfterCommit)
            return reply.status.map { (200..<300).contains($0) } == true ? .drop : reply
        case .errorStatus?:
            return body(.errorStatus)
        case nil:
            return body(nil)
        }
    }

    /// The IAM action of an operation, as a 403 names it.
    static func action(_ operation: FaultRule.Operation) -> String {
        switch operation {
        case .batchCreate: return "vpn:vpnConnections:create"
        case .list: return "vpn:vpnConnections:list"
        case .show: return "vpn:vpnConnections:get"
        case .delete: return "vpn:vpnConnections:delete"
        case .update: return "vpn:vpnConnections:update"
        case .tags: return "vpn:vpnConnections:tag"
        case .showGateway: return "vpn:vpnGateways:get"
        case .listGateways: return "vpn:vpnGateways:list"
        }
    }

    // MARK: Authentication

    /// `nil` when the request is signed with this emulator's AK/SK within the allowed skew.
    private func authenticate(_ request: EmulatorRequest) -> String? {
        guard let authorization = request.header("Authorization") else { return "no Authorization header" }
        let prefix = Signer.algorithm + " "
        guard authorization.hasPrefix(prefix) else { return "unsupported signing algorithm" }
        var parts: [String: String] = [:]
        for item in authorization.dropFirst(prefix.count).components(separatedBy: ", ") {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { parts[kv[0]] = kv[1] }
        }
        guard let access = parts["Access"], let signedHeaders = parts["SignedHeaders"], let signature = parts["Signature"] else {
            return "malformed Authorization header"
        }
        guard access == configuration.accessKey else { return "unknown access key" }
        let names = signedHeaders.split(separator: ";").map(String.init)
        guard names.contains("x-sdk-date"), names.contains("host") else { return "SignedHeaders must include host and x-sdk-date" }
        var headers: [(name: String, value: String)] = []
        for name in names {
            guard let value = request.header(name) else { return "signed header \(name) is missing" }
            headers.append((name, value))
        }
        guard let dateText = request.header("X-Sdk-Date"), let time = UTCTime(dateText, compact: true) else {
            return "X-Sdk-Date is missing or malformed"
        }
        guard abs(Double(time.epochSeconds) - Date().timeIntervalSince1970) <= configuration.maxClockSkew else { return "request time skew is too large" }
        let query = request.rawQuery.split(separator: "&").map { item -> QueryItem in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return QueryItem(Signer.percentDecode(kv[0]), kv.count > 1 ? Signer.percentDecode(kv[1]) : "")
        }
        let expected = signer.sign(SigningInput(method: request.method, path: request.path, query: query, headers: headers, body: request.body))
        guard Self.constantTimeEqual(expected.signature, signature) else { return "verify aksk signature fail" }
        return nil
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Operations

    private static let itemKeys: Set<String> = [
        "name", "vgw_id", "vgw_ip", "style", "cgw_id", "peer_subnets", "tunnel_local_address", "tunnel_peer_address",
        "enable_nqa", "enable_hub", "psk", "policy_rules", "ikepolicy", "ipsecpolicy", "ha_role", "tags",
        // In Huawei's SDK models, undocumented or partial in the reference: accepted and ignored.
        "enable_health_check", "peer_subnets_v6", "policy_rules_v6",
    ]

    private func batchCreate(_ request: EmulatorRequest, _ items: [[String: Any]]?, _ project: String, _ requestID: String,
                             fault: FaultRule.Kind?) -> EmulatorReply {
        guard let items else {
            return error(400, "VPN.0001", "invalid request: the body must be an object with a vpn_connections list", requestID)
        }
        for (i, item) in items.enumerated() {
            if let unknown = item.keys.sorted().first(where: { !Self.itemKeys.contains($0) }) {
                return error(400, "VPN.0013", "unsupported attribute: vpn_connections[\(i)].\(unknown)", requestID)
            }
        }
        let body: BatchCreateRequest
        do {
            body = try JSONDecoder().decode(BatchCreateRequest.self, from: Data(request.body))
        } catch {
            return self.error(400, "VPN.0001", "invalid request: \(Self.decodingProblem(error))", requestID)
        }
        if let problem = RequestRules.problem(body) {
            return error(400, "VPN.0001", "invalid request: \(problem)", requestID)
        }
        let now = configuration.now()
        let nowMillis = Int64(now.timeIntervalSince1970 * 1000)
        let settleMillis = Self.millis(configuration.settle)
        let settledStatus = fault == .errorStatus ? "ERROR" : "DOWN"
        let outcome: Result<[VPNConnection], GatewayRefusal> = state.withLock { s in
            let gateway: StoredGateway
            switch admit(body, project: project, store: s.store, nowMillis: nowMillis) {
            case .success(let g): gateway = g
            case .failure(let refusal): return .failure(refusal)
            }
            s.store.put(gateway)
            var made: [VPNConnection] = []
            for item in body.vpnConnections {
                let millis = s.store.nextMillis(project: project, now: now)
                var tunnel = (item.tunnelLocalAddress, item.tunnelPeerAddress)
                if tunnel.0 == nil, (item.style ?? "static") != "policy" {
                    let pair = s.store.nextTunnelPair()
                    tunnel = (pair.0, pair.1)
                }
                var connection = ConnectionDefaults.response(for: item, id: UUID().uuidString.lowercased(),
                                                             createdMillis: millis, tunnel: tunnel, random: &s.random)
                // PENDING_CREATE until `settle` has passed, then DOWN (or ERROR under the fault).
                connection.status = settleMillis > 0 ? "PENDING_CREATE" : settledStatus
                let settle = settleMillis > 0
                    ? StoredConnection.Settle(atMillis: nowMillis + settleMillis, status: settledStatus) : nil
                s.store.insert(StoredConnection(projectID: project, connection: connection, createdMillis: millis,
                                                settle: settle))
                made.append(connection)
            }
            try? s.store.persist()
            return .success(made)
        }
        let created: [VPNConnection]
        switch outcome {
        case .success(let made): created = made
        case .failure(let refusal): return error(refusal.status, refusal.code, refusal.message, requestID)
        }
        // The create answer has no status field (CreateResponseVpnConnection).
        let shown = created.map { c -> VPNConnection in var c = c; c.status = nil; return c }
        return json(201, BatchCreateResponse(vpnConnections: shown, requestID: requestID), requestID)
    }

    private func list(_ request: EmulatorRequest, _ project: String, _ requestID: String) -> EmulatorReply {
        let filters = Self.queryFilters(request.rawQuery)
        var limit = 2000
        if let text = filters["limit"]?.last {
            guard let l = Int(text), (0...2000).contains(l) else { return error(400, "VPN.0001", "invalid request: limit must be 0-2000", requestID) }
            limit = l == 0 ? 2000 : l
        }
        if filters["marker"] != nil, filters["limit"] == nil {
            return error(400, "VPN.0001", "invalid request: marker must be sent together with limit", requestID)
        }
        let markerMillis = filters["marker"]?.last.flatMap(ConnectionDefaults.parseMillis)
        if filters["marker"] != nil, markerMillis == nil { return error(400, "VPN.0001", "invalid request: marker is not a valid creation time", requestID) }
        let now = nowMillis
        let matching: [StoredConnection] = state.withLock { s in
            s.store.connections.values.filter { c in
                c.projectID == project
                    && (filters["vgw_id"].map { $0.contains(c.connection.vgwID ?? "") } ?? true)
                    && (filters["vgw_ip"].map { $0.contains(c.connection.vgwIP ?? "") } ?? true)
                    && (filters["vpn_id"].map { $0.contains(c.connection.id) } ?? true)
            }.sorted { $0.createdMillis < $1.createdMillis }
        }
        let after = matching.filter { markerMillis == nil || $0.createdMillis > markerMillis! }
        let page = Array(after.prefix(limit))
        // next_marker is the creation time of the page's last item; a short page is the last one.
        let info = PageInfo(nextMarker: page.last.map { ConnectionDefaults.timestamp($0.createdMillis) }, currentCount: page.count)
        return json(200, ListConnectionsResponse(vpnConnections: page.map { $0.current(atMillis: now) }, pageInfo: info,
                                                 totalCount: matching.count, requestID: requestID), requestID)
    }

    private func show(_ id: String, _ project: String, _ requestID: String) -> EmulatorReply {
        let found = state.withLock { $0.store.connections[id] }
        guard let found, found.projectID == project else {
            return error(404, "VPN.0004", "The VPN connection \(id) does not exist", requestID)
        }
        let shown = found.current(atMillis: nowMillis)
        return json(200, ShowConnectionResponse(vpnConnection: shown, requestID: requestID), requestID)
    }

    /// Removes the connection, through `PENDING_DELETE` for `settle` when that is set; a second
    /// delete while it is pending is answered as the first.
    private func delete(_ id: String, _ project: String, _ requestID: String) -> EmulatorReply {
        let settleMillis = Self.millis(configuration.settle), now = nowMillis
        let removed: Bool = state.withLock { s in
            guard var stored = s.store.connections[id], stored.projectID == project else { return false }
            if settleMillis > 0 {
                stored.settleIfDue(atMillis: now)
                if stored.settle?.status != StoredConnection.deleted {
                    stored.connection.status = "PENDING_DELETE"
                    stored.settle = StoredConnection.Settle(atMillis: now + settleMillis,
                                                            status: StoredConnection.deleted)
                    s.store.insert(stored)
                }
            } else {
                _ = s.store.remove(id)
            }
            try? s.store.persist()
            return true
        }
        guard removed else { return error(404, "VPN.0004", "The VPN connection \(id) does not exist", requestID) }
        return .respond(status: 204, headers: ["X-Request-Id": requestID], body: [])
    }

    // MARK: Answers

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()

    func json<T: Encodable>(_ status: Int, _ value: T, _ requestID: String) -> EmulatorReply {
        let body = (try? Self.encoder.encode(value)).map { [UInt8]($0) } ?? []
        return .respond(status: status, headers: ["Content-Type": "application/json", "X-Request-Id": requestID], body: body)
    }

    func error(_ status: Int, _ code: String, _ message: String, _ requestID: String) -> EmulatorReply {
        .respond(status: status, headers: ["Content-Type": "application/json", "X-Request-Id": requestID],
                 body: Self.errorBody(code, message, requestID))
    }

    static func errorBody(_ code: String, _ message: String, _ requestID: String) -> [UInt8] {
        let object: [String: String] = ["error_code": code, "error_msg": message, "request_id": requestID]
        return (try? [UInt8](JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))) ?? []
    }

    /// A decoding error as "field: problem", without values (a psk value must never be echoed).
    static func decodingProblem(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "malformed JSON" }
        func path(_ c: [any CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch e {
        case .typeMismatch(let type, let ctx): return "\(path(ctx.codingPath)): expected \(type)"
        case .valueNotFound(let type, let ctx): return "\(path(ctx.codingPath)): expected \(type), got null"
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): is required"
        case .dataCorrupted(let ctx): return ctx.codingPath.isEmpty ? "malformed JSON" : "\(path(ctx.codingPath)): invalid value"
        @unknown default: return "malformed request"
        }
    }
}

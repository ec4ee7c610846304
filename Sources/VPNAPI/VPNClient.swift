import Foundation
import VPNValues
import VPNCrypto

/// Where and as whom the client talks.
public struct ClientConfiguration: Sendable {
    /// The API base URL, e.g. `https://vpn.cn-north-4.myhuaweicloud.com`.
    public var endpoint: URL
    /// The project id substituted into every path and sent as `X-Project-Id`.
    public var projectID: String
    /// AK/SK (and token).
    public var credentials: Credentials
    /// Retries of refused or (for reads) failed requests.
    public var retry: RetryPolicy
    /// The deadline of one attempt, connecting included; the transport enforces it (libcurl's own timer).
    public var attemptDeadline: Duration

    public init(endpoint: URL, projectID: String, credentials: Credentials, retry: RetryPolicy = RetryPolicy(), attemptDeadline: Duration = .seconds(120)) {
        self.endpoint = endpoint
        self.projectID = projectID
        self.credentials = credentials
        self.retry = retry
        self.attemptDeadline = attemptDeadline
    }

    /// `https://vpn.{region}.myhuaweicloud.com`.
    public static func endpoint(forRegion region: String) -> URL {
        URL(string: "https://vpn.\(region).myhuaweicloud.com")!
    }
}

/// A client of the Huawei Cloud VPN API (v5): batch-create, list, show and delete connections,
/// each request signed with `SDK-HMAC-SHA256`.
///
/// It retries only what the API refused (nothing was created) and, for reads, transport failures.
/// A batch-create whose answer is lost is never sent again: it fails with
/// ``VPNAPIError/outcomeUnknown(_:)`` and the caller looks for the connections.
public struct VPNClient: Sendable {
    /// Effects the client uses, replaceable in tests.
    public struct Environment: Sendable {
        /// The current time, for `X-Sdk-Date`.
        public var now: @Sendable () -> Date
        /// Waits; tests pass one that records and returns at once.
        public var sleep: @Sendable (Double) async throws -> Void
        /// A number in 0…1 for backoff jitter.
        public var random: @Sendable () -> Double
        /// Receives the `--debug` HTTP trace, already redacted; `nil` for none.
        public var trace: (@Sendable (String) -> Void)?
        /// Told of every wait before a further attempt, for progress lines.
        public var retrying: @Sendable (RetryNotice) -> Void

        public init(now: @escaping @Sendable () -> Date = Date.init,
                    sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int($0 * 1000))) },
                    random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
                    trace: (@Sendable (String) -> Void)? = nil,
                    retrying: @escaping @Sendable (RetryNotice) -> Void = { _ in }) {
            self.now = now
            self.sleep = sleep
            self.random = random
            self.trace = trace
            self.retrying = retrying
        }
    }

    public let configuration: ClientConfiguration
    private let transport: any HTTPTransport
    private var environment: Environment
    private let signer: Signer
    /// Shared by every call of this client (and its copies).
    public let throttle: Throttle
    /// Shared by every call of this client (and its copies): closed by the first 401 or 403.
    public let credentialsGate: CredentialsGate

    /// Creates a client.
    /// - Throws: ``VPNAPIError/insecureEndpoint(_:)`` for plain http to anything but a loopback host.
    public init(configuration: ClientConfiguration, transport: any HTTPTransport, environment: Environment = Environment(),
                throttle: Throttle = Throttle(), credentialsGate: CredentialsGate = CredentialsGate()) throws(VPNAPIError) {
        let url = configuration.endpoint
        let scheme = url.scheme?.lowercased()
        guard scheme == "https" || (scheme == "http" && Self.isLoopback(url.host ?? "")) else {
            throw .insecureEndpoint(url.absoluteString)
        }
        self.configuration = configuration
        self.transport = transport
        self.environment = environment
        self.throttle = throttle
        self.credentialsGate = credentialsGate
        signer = Signer(accessKey: configuration.credentials.accessKey, secretKey: configuration.credentials.secretKey)
    }

    /// This client, telling `observer` of every retry it waits for (and still sharing the throttle
    /// and the credentials gate with the original).
    public func reportingRetries(to observer: @escaping @Sendable (RetryNotice) -> Void) -> VPNClient {
        var copy = self
        copy.environment.retrying = observer
        return copy
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    private var projectPath: String { "/v5/\(Signer.encode(configuration.projectID))" }

    // MARK: Operations

    /// `POST /v5/{project_id}/vpn-connections/batch-create`: creates the one or two connections of a pair.
    /// - Throws: ``VPNAPIError``; ``VPNAPIError/outcomeUnknown(_:)`` when the answer was lost.
    /// - Parameter encoded: `request` already encoded with ``encode(_:)`` (made ready ahead).
    public func batchCreate(_ request: BatchCreateRequest, encoded: [UInt8]? = nil) async throws(VPNAPIError)
        -> BatchCreateResponse {
        let body = encoded ?? Self.encode(request)
        let response = try await send("POST", "\(projectPath)/vpn-connections/batch-create", body: body,
                                      traceBody: environment.trace == nil ? nil : Self.redactedBody(request), idempotent: false)
        return try decode(BatchCreateResponse.self, response)
    }

    /// `GET /v5/{project_id}/vpn-connection?vgw_id=…`, following `marker` pages to the end.
    public func listConnections(vgwID: String, pageSize: Int = 2000) async throws(VPNAPIError) -> [VPNConnection] {
        try await listConnectionPages(filter: [QueryItem("vgw_id", vgwID)], pageSize: pageSize)
    }

    private func listConnectionPages(filter: [QueryItem], pageSize: Int) async throws(VPNAPIError) -> [VPNConnection] {
        var all: [VPNConnection] = []
        var marker: String?
        for _ in 0..<100_000 {
            let page = try await listConnectionPage(filter: filter, marker: marker, pageSize: pageSize)
            all += page.connections
            guard !page.isLast, let next = page.nextMarker, next != marker else { break }
            marker = next
        }
        return all
    }

    /// One page of a connection list.
    public struct ConnectionPage: Sendable {
        public var connections: [VPNConnection]
        /// The marker of the next page.
        public var nextMarker: String?
        /// `total_count`: every connection matching the filter.
        public var totalCount: Int?
        /// The `limit` asked for.
        public var pageSize: Int
        /// A short page (or one without a next marker) is the last.
        public var isLast: Bool { connections.count < pageSize || (nextMarker ?? "").isEmpty }
    }

    /// `GET /v5/{project_id}/vpn-connection?…&limit=…[&marker=…]`: one page.
    public func listConnectionPage(filter: [QueryItem], marker: String?, pageSize: Int = 2000) async throws(VPNAPIError) -> ConnectionPage {
        var query = filter + [QueryItem("limit", String(pageSize))]
        if let marker { query.append(QueryItem("marker", marker)) }
        let response = try await send("GET", "\(projectPath)/vpn-connection", query: query, idempotent: true)
        let page = try decode(ListConnectionsResponse.self, response)
        return ConnectionPage(connections: page.vpnConnections, nextMarker: page.pageInfo?.nextMarker, totalCount: page.totalCount,
                              pageSize: pageSize)
    }

    /// `GET /v5/{project_id}/vpn-connection?limit=…` without a gateway filter: every connection of
    /// the project, following `marker` pages to the end.
    public func listAllConnections(pageSize: Int = 2000) async throws(VPNAPIError) -> [VPNConnection] {
        try await listConnectionPages(filter: [], pageSize: pageSize)
    }

    /// `GET /v5/{project_id}/vpn-gateways/{vgw_id}`.
    public func showGateway(id: String) async throws(VPNAPIError) -> VPNGateway {
        let response = try await send("GET", "\(projectPath)/vpn-gateways/\(Signer.encode(id))", idempotent: true)
        return try decode(ShowGatewayResponse.self, response).vpnGateway
    }

    /// `GET /v5/{project_id}/vpn-gateways` (not paged by the API).
    public func listGateways() async throws(VPNAPIError) -> [VPNGateway] {
        let response = try await send("GET", "\(projectPath)/vpn-gateways", idempotent: true)
        return try decode(ListGatewaysResponse.self, response).vpnGateways
    }

    /// `GET /v5/{project_id}/vpn-connection/{id}`.
    public func showConnection(id: String) async throws(VPNAPIError) -> VPNConnection {
        let response = try await send("GET", "\(projectPath)/vpn-connection/\(Signer.encode(id))", idempotent: true)
        return try decode(ShowConnectionResponse.self, response).vpnConnection
    }

    /// `DELETE /v5/{project_id}/vpn-connection/{id}` (204).
    public func deleteConnection(id: String) async throws(VPNAPIError) {
        _ = try await send("DELETE", "\(projectPath)/vpn-connection/\(Signer.encode(id))", idempotent: true)
    }

    /// `PUT /v5/{project_id}/vpn-connection/{id}` (200): changes the updatable attributes in place.
    /// A PUT sets values, so a repeat does no harm: it is retried after a lost answer.
    public func updateConnection(id: String, _ change: UpdateVPNConnection) async throws(VPNAPIError) -> VPNConnection {
        let request = UpdateConnectionRequest(vpnConnection: change)
        var redacted = request
        if redacted.vpnConnection.psk != nil { redacted.vpnConnection.psk = Secret("(redacted)") }
        let trace = environment.trace == nil ? nil : String(decoding: Self.encode(redacted), as: UTF8.self)
        let response = try await send("PUT", "\(projectPath)/vpn-connection/\(Signer.encode(id))",
                                      body: Self.encode(request), traceBody: trace, idempotent: true)
        return try decode(UpdateConnectionResponse.self, response).vpnConnection
    }

    /// `POST /v5/{project_id}/vpn-connection/{id}/tags/create` (204): adds tags, replacing the
    /// values of keys it has.
    public func createTags(connectionID id: String, _ tags: [ResourceTag]) async throws(VPNAPIError) {
        _ = try await send("POST", "\(projectPath)/vpn-connection/\(Signer.encode(id))/tags/create",
                           body: Self.encode(TagsRequest(tags: tags)), idempotent: true)
    }

    /// `POST /v5/{project_id}/vpn-connection/{id}/tags/delete` (204): removes the tags of these keys.
    public func deleteTags(connectionID id: String, _ tags: [ResourceTag]) async throws(VPNAPIError) {
        _ = try await send("POST", "\(projectPath)/vpn-connection/\(Signer.encode(id))/tags/delete",
                           body: Self.encode(TagsRequest(tags: tags)), idempotent: true)
    }

    // MARK: Requests

    private func send(_ method: String, _ path: String, query: [QueryItem] = [], body: [UInt8] = [],
                      traceBody: String? = nil, idempotent: Bool) async throws(VPNAPIError) -> HTTPResponseMessage {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            let pause = throttle.wait()
            if pause > .zero {
                let seconds = Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18
                environment.retrying(RetryNotice(reason: .heldBack, seconds: seconds, attempt: attempt))
                try? await environment.sleep(seconds)
            }
            if let rejected = credentialsGate.rejected { throw .credentialsRejected(rejected) }
            var message = signed(method, path, query: query, body: body)
            message.timeout = configuration.attemptDeadline
            let started = Date()
            trace("→ \(method) \(message.url.absoluteString)", message.headers, traceBody)
            let outcome: Result<HTTPResponseMessage, TransportFailure>
            do throws(TransportFailure) {
                outcome = .success(try await transport.send(message))
            } catch {
                outcome = .failure(error)
            }
            let reason: RetryNotice.Reason
            var retryAfter: Double?
            switch outcome {
            case .success(let response):
                trace("← \(response.status) in \(Int(Date().timeIntervalSince(started) * 1000)) ms, request id \(response.headers["x-request-id"] ?? "-")", nil, nil)
                if (200..<300).contains(response.status) { return response }
                let error = ErrorBodyParser.parse(status: response.status, body: response.body, headers: response.headers)
                if response.status == 401 || response.status == 403 {
                    credentialsGate.close(with: error)
                    throw .credentialsRejected(error)
                }
                let failure = VPNAPIError.api(error)
                retryAfter = error.retryAfter
                if response.status == 429 { throttle.hold(for: retryAfter ?? policy.delay(retry: attempt, jitter: 1, retryAfter: nil)) }
                let retryable = failure.isRetryableRefusal || (idempotent && response.status >= 500)
                guard retryable, attempt < policy.maxAttempts else { throw failure }
                reason = response.status == 429 ? .throttled
                    : response.status >= 500 && idempotent ? .serverError(status: response.status) : .refused(error)
            case .failure(.notSent(let problem)):
                trace("× not sent: \(problem)", nil, nil)
                guard problem.isWorthRetrying, attempt < policy.maxAttempts else { throw .notSent(problem) }
                reason = .notSent(problem)
            case .failure(.lost(let problem)):
                trace("× answer lost: \(problem)", nil, nil)
                guard idempotent else { throw .outcomeUnknown(problem) }
                guard attempt < policy.maxAttempts else { throw .transport(problem) }
                reason = .lost(problem)
            }
            let delay = policy.delay(retry: attempt, jitter: environment.random(), retryAfter: retryAfter)
            environment.retrying(RetryNotice(reason: reason, seconds: delay, attempt: attempt))
            do { try await environment.sleep(delay) } catch {
                throw idempotent ? .transport(.cancelled) : .notSent(.cancelled)
            }
        }
    }

    /// The request with its signing headers. Only headers the client controls are signed.
    func signed(_ method: String, _ path: String, query: [QueryItem], body: [UInt8]) -> HTTPRequestMessage {
        let url = configuration.endpoint
        let host = (url.host ?? "") + (url.port.map { ":\($0)" } ?? "")
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Host", host),
            ("X-Project-Id", configuration.projectID),
            ("X-Sdk-Date", Self.sdkDate(environment.now())),
        ]
        if let token = configuration.credentials.securityToken { headers.append(("X-Security-Token", token.revealed)) }
        let signature = signer.sign(SigningInput(method: method, path: path, query: query, headers: headers, body: body))
        headers.append(("Authorization", signature.authorization))
        // libcurl sets Host itself, to the same value.
        headers.removeAll { $0.name == "Host" }
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = (components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath) + path
        let q = Signer.canonicalQuery(query)
        components.percentEncodedQuery = q.isEmpty ? nil : q
        return HTTPRequestMessage(method: method, url: components.url!, headers: headers, body: body)
    }

    static func sdkDate(_ date: Date) -> String {
        UTCTime(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down))).compact
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The JSON body of a request.
    public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        // Encoding these plain models cannot fail.
        (try? [UInt8](encoder.encode(value))) ?? []
    }

    /// The request body for the trace, with every pre-shared key replaced.
    static func redactedBody(_ request: BatchCreateRequest) -> String {
        var copy = request
        for i in copy.vpnConnections.indices where copy.vpnConnections[i].psk != nil {
            copy.vpnConnections[i].psk = Secret("(redacted)")
        }
        return String(decoding: encode(copy), as: UTF8.self)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponseMessage) throws(VPNAPIError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw .invalidResponse(status: response.status, detail: "\(T.self): \(error)", requestID: response.headers["x-request-id"])
        }
    }

    private func trace(_ line: @autoclosure () -> String, _ headers: [(name: String, value: String)]?, _ body: String?) {
        guard let sink = environment.trace else { return }
        var text = line() + "\n"
        for (name, value) in headers ?? [] {
            let shown: String
            switch name.lowercased() {
            case "authorization": shown = value.components(separatedBy: ", Signature=").first.map { "\($0), Signature=(redacted)" } ?? "(redacted)"
            case "x-security-token": shown = "(redacted)"
            default: shown = value
            }
            text += "  \(name): \(shown)\n"
        }
        if let body { text += "  \(body)\n" }
        sink(text)
    }
}

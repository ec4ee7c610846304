import Foundation
import Synchronization
import Testing
import VPNAPI
import VPNCrypto

/// A lock-protected value shared with `@Sendable` closures.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

/// A transport that answers from a script and records what it was sent.
final class ScriptedTransport: HTTPTransport {
    typealias Step = @Sendable (HTTPRequestMessage) -> Result<HTTPResponseMessage, TransportFailure>
    private let steps: Locked<[Step]>
    let sent = Locked<[HTTPRequestMessage]>([])

    init(_ steps: [Step]) { self.steps = Locked(steps) }

    func send(_ request: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage {
        sent.withLock { $0.append(request) }
        let step = steps.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let step else { return HTTPResponseMessage(status: 500, headers: [:], body: Array("script ran out".utf8)) }
        return try step(request).get()
    }

    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Step {
        { _ in .success(HTTPResponseMessage(status: status, headers: headers, body: Array(body.utf8))) }
    }

    static func fail(_ failure: TransportFailure) -> Step {
        { _ in .failure(failure) }
    }
}

@Suite struct VPNClientTests {
    static let created = """
        {"vpn_connections": [{"id": "11111111-1111-4111-8111-111111111111", "name": "hq-a-1", "style": "STATIC", "created_at": "2026-01-01T00:00:00.000Z"}], "request_id": "r1"}
        """

    let sleeps = Locked<[Double]>([])

    func client(_ transport: ScriptedTransport, retry: RetryPolicy = RetryPolicy(maxAttempts: 4), token: String? = nil,
                trace: (@Sendable (String) -> Void)? = nil) throws -> VPNClient {
        let sleeps = self.sleeps
        let config = ClientConfiguration(
            endpoint: URL(string: "https://vpn.cn-north-4.myhuaweicloud.com")!, projectID: "0123456789abcdef0123456789abcdef",
            credentials: Credentials(accessKey: "AKEXAMPLE", secretKey: Secret("SK-must-not-leak"), securityToken: token.map(Secret.init)),
            retry: retry)
        let env = VPNClient.Environment(now: { Date(timeIntervalSince1970: 1_704_164_645) },
                                        sleep: { s in sleeps.withLock { $0.append(s) } },
                                        random: { 0.5 }, trace: trace)
        return try VPNClient(configuration: config, transport: transport, environment: env)
    }

    static let request = BatchCreateRequest(vpnConnections: [
        CreateVPNConnection(name: "hq-a-1", vgwID: "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8", vgwIP: "0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4",
                            style: "static", cgwID: "12f3577a-cbd8-4602-b68c-ecbf792fcec5", peerSubnets: ["192.168.2.0/24"],
                            psk: Secret("PSK-must-not-leak-1")),
    ])

    @Test("batch-create: path, signed headers, body; the SDK date format")
    func happyPath() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(201, Self.created)])
        let response = try await client(t, token: "tok").batchCreate(Self.request)
        #expect(response.vpnConnections.first?.id == "11111111-1111-4111-8111-111111111111")
        let sent = try #require(t.sent.withLock { $0.first })
        #expect(sent.method == "POST")
        #expect(sent.url.absoluteString == "https://vpn.cn-north-4.myhuaweicloud.com/v5/0123456789abcdef0123456789abcdef/vpn-connections/batch-create")
        let headers = Dictionary(sent.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        #expect(headers["x-sdk-date"] == "20240102T030405Z")
        #expect(headers["x-project-id"] == "0123456789abcdef0123456789abcdef")
        #expect(headers["x-security-token"] == "tok")
        #expect(headers["authorization"]?.hasPrefix("SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=") == true)
        let body = String(decoding: sent.body, as: UTF8.self)
        #expect(body.contains("\"psk\":\"PSK-must-not-leak-1\""))
        #expect(body.contains("\"peer_subnets\":[\"192.168.2.0/24\"]"))
        #expect(!body.contains("enable_nqa"), "unset optional fields are omitted")
    }

    @Test("refusals are retried with backoff and Retry-After, then succeed", arguments: [
        (429, "{\"error_code\": \"VPN.0429\", \"error_msg\": \"too many requests\"}"),
        (409, "{\"error_code\": \"VPN.0016\", \"error_msg\": \"gateway not ready\"}"),
        (425, "{\"code\": \"VPN.0009\", \"message\": \"being deleted\"}"),
        (400, "{\"error_code\": \"VPN.0030\", \"error_msg\": \"system busy\"}"),
        (504, "{\"error_code\": \"VPN.0014\", \"error_msg\": \"system busy\"}"),
    ])
    func retries(status: Int, body: String) async throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(status, body, headers: ["retry-after": "3"]),
            ScriptedTransport.json(status, body),
            ScriptedTransport.json(201, Self.created),
        ])
        _ = try await client(t).batchCreate(Self.request)
        #expect(t.sent.withLock { $0.count } == 3)
        let waits = sleeps.withLock { $0 }
        #expect(waits.count >= 2)
        #expect(waits.contains { $0 >= 3 }, "Retry-After honoured: \(waits)")
    }

    @Test("non-retryable errors surface with code, message and request id; nothing is re-sent")
    func nonRetryable() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(400, "{\"error_code\": \"VPN.0001\", \"error_msg\": \"invalid request: cgw_id\", \"request_id\": \"body-id\"}",
                                                          headers: ["x-request-id": "hdr-id"])])
        await #expect(throws: VPNAPIError.api(APIErrorBody(status: 400, code: "VPN.0001", message: "invalid request: cgw_id", requestID: "hdr-id"))) {
            _ = try await client(t).batchCreate(Self.request)
        }
        #expect(t.sent.withLock { $0.count } == 1)
    }

    @Test("a 500 on batch-create is not retried: the caller must look before creating again")
    func serverErrorOnCreate() async throws {
        let t = ScriptedTransport([ScriptedTransport.json(500, "{\"code\": \"VPN.0002\", \"message\": \"server error\"}")])
        await #expect(throws: VPNAPIError.self) { _ = try await client(t).batchCreate(Self.request) }
        #expect(t.sent.withLock { $0.count } == 1)
    }

    @Test("a lost answer to batch-create is 'outcome unknown', never a second POST")
    func outcomeUnknown() async throws {
        let reset = NetworkProblem.connectionReset(host: "vpn.cn-north-4.myhuaweicloud.com", port: 443)
        let t = ScriptedTransport([ScriptedTransport.fail(.lost(reset))])
        await #expect(throws: VPNAPIError.outcomeUnknown(reset)) { _ = try await client(t).batchCreate(Self.request) }
        #expect(t.sent.withLock { $0.count } == 1)
    }

    @Test("a request that was never sent is retried, even a POST")
    func notSent() async throws {
        let t = ScriptedTransport([ScriptedTransport.fail(.notSent(.connectTimedOut(host: "vpn", port: 443, milliseconds: 10_000))), ScriptedTransport.json(201, Self.created)])
        _ = try await client(t).batchCreate(Self.request)
        #expect(t.sent.withLock { $0.count } == 2)
    }

    @Test("reads retry 5xx and lost answers")
    func readRetries() async throws {
        let page = "{\"vpn_connections\": [], \"page_info\": {\"current_count\": 0}, \"total_count\": 0}"
        let t = ScriptedTransport([ScriptedTransport.json(503, "busy"), ScriptedTransport.fail(.lost(.connectionReset(host: "vpn", port: 443))),
                                   ScriptedTransport.json(200, page)])
        let list = try await client(t).listConnections(vgwID: "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8")
        #expect(list.isEmpty)
        #expect(t.sent.withLock { $0.count } == 3)
    }

    @Test("list follows markers, with limit, to the last page")
    func paging() async throws {
        func page(_ ids: [Int], next: String?) -> ScriptedTransport.Step {
            let items = ids.map { "{\"id\": \"c\($0)\"}" }.joined(separator: ",")
            let marker = next.map { "\"next_marker\": \"\($0)\", " } ?? ""
            return ScriptedTransport.json(200, "{\"vpn_connections\": [\(items)], \"page_info\": {\(marker)\"current_count\": \(ids.count)}}")
        }
        let t = ScriptedTransport([page([1, 2], next: "m2"), page([3, 4], next: "m4"), page([5], next: nil)])
        let all = try await client(t).listConnections(vgwID: "g", pageSize: 2)
        #expect(all.map(\.id) == ["c1", "c2", "c3", "c4", "c5"])
        let queries = t.sent.withLock { $0.map { $0.url.query ?? "" } }
        #expect(queries == ["limit=2&vgw_id=g", "limit=2&marker=m2&vgw_id=g", "limit=2&marker=m4&vgw_id=g"])
    }

    @Test("plain http is refused except to loopback")
    func insecure() throws {
        let config = ClientConfiguration(endpoint: URL(string: "http://vpn.example.com")!, projectID: "p",
                                         credentials: Credentials(accessKey: "a", secretKey: Secret("s")))
        #expect(throws: VPNAPIError.insecureEndpoint("http://vpn.example.com")) {
            _ = try VPNClient(configuration: config, transport: ScriptedTransport([]))
        }
        var loopback = config
        loopback.endpoint = URL(string: "http://127.0.0.1:8080")!
        _ = try VPNClient(configuration: loopback, transport: ScriptedTransport([]))
    }

    @Test("the debug trace and every error description are free of secrets")
    func redaction() async throws {
        let lines = Locked<[String]>([])
        let t = ScriptedTransport([ScriptedTransport.json(201, Self.created)])
        _ = try await client(t, token: "token-must-not-leak", trace: { line in lines.withLock { $0.append(line) } }).batchCreate(Self.request)
        let trace = lines.withLock { $0.joined() }
        #expect(trace.contains("POST https://vpn.cn-north-4.myhuaweicloud.com/v5/"))
        #expect(trace.contains("\"psk\":\"(redacted)\""))
        for secret in ["PSK-must-not-leak-1", "SK-must-not-leak", "token-must-not-leak"] {
            #expect(!trace.contains(secret))
            #expect(!"\(Self.request)".contains(secret) && !String(reflecting: Self.request).contains(secret))
        }
        let creds = Credentials(accessKey: "AK", secretKey: Secret("SK-must-not-leak"), securityToken: Secret("token-must-not-leak"))
        #expect(!"\(creds)".contains("must-not-leak"))
    }

    @Test("credentials from the environment: HUAWEICLOUD_SDK_* first, HW_* as fallback")
    func credentials() {
        #expect(Credentials.fromEnvironment(["HUAWEICLOUD_SDK_AK": "a", "HUAWEICLOUD_SDK_SK": "s", "HW_ACCESS_KEY": "b"])?.accessKey == "a")
        #expect(Credentials.fromEnvironment(["HW_ACCESS_KEY": "b", "HW_SECRET_KEY": "t"])?.secretKey == Secret("t"))
        #expect(Credentials.fromEnvironment(["HUAWEICLOUD_SDK_AK": "a"]) == nil)
    }

    @Test("backoff grows exponentially with jitter, capped, never under Retry-After")
    func backoff() {
        let p = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 4)
        #expect(p.delay(retry: 1, jitter: 1, retryAfter: nil) == 0.5)
        #expect(p.delay(retry: 3, jitter: 1, retryAfter: nil) == 2)
        #expect(p.delay(retry: 9, jitter: 1, retryAfter: nil) == 4)
        #expect(p.delay(retry: 2, jitter: 0.5, retryAfter: nil) == 0.5)
        #expect(p.delay(retry: 1, jitter: 0, retryAfter: 3) == 3)
    }
}

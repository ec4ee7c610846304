import Foundation
import Testing
import VPNAPI
import VPNCrypto
import VPNEmulator

/// The real client (libcurl) against the real emulator over loopback HTTP.
@Suite struct ClientEmulatorLoopbackTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let gateway = "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8"

    struct Pair {
        let server: EmulatorServer
        let client: VPNClient
    }

    static func start(faults: [FaultRule] = [], seed: UInt64 = 1, secretKey: String? = nil) throws -> Pair {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk, faults: faults, seed: seed)))
        let client = try VPNClient(
            configuration: ClientConfiguration(endpoint: server.baseURL, projectID: project,
                                               credentials: Credentials(accessKey: ak, secretKey: secretKey.map(Secret.init) ?? sk),
                                               retry: RetryPolicy(maxAttempts: 10, baseDelay: 0.01, maxDelay: 0.05)),
            transport: CurlTransport(),
            // Retry-After is honoured by the real sleep, capped by the policy: keep tests quick.
            environment: VPNClient.Environment(sleep: { try await Task.sleep(for: .milliseconds(Int(min($0, 0.05) * 1000))) }))
        return Pair(server: server, client: client)
    }

    static func request(_ name: String, ips: [String] = ["0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4", "1fb97767-d780-4d8b-83bb-6f878f662005"]) -> BatchCreateRequest {
        BatchCreateRequest(vpnConnections: ips.enumerated().map { i, ip in
            CreateVPNConnection(name: "\(name)-\(i + 1)", vgwID: gateway, vgwIP: ip, style: "static", cgwID: "12f3577a-cbd8-4602-b68c-ecbf792fcec5",
                                peerSubnets: ["192.168.2.0/24"], psk: Secret("Loopback-Psk-1"))
        })
    }

    @Test("happy path: batch-create, list, show over loopback; the signature verifies")
    func happyPath() async throws {
        let p = try Self.start()
        defer { p.server.stop() }
        let created = try await p.client.batchCreate(Self.request("hq-a"))
        #expect(created.vpnConnections.map(\.name) == ["hq-a-1", "hq-a-2"])
        #expect(created.requestID != nil)
        let listed = try await p.client.listConnections(vgwID: Self.gateway)
        #expect(Set(listed.map(\.id)) == Set(created.vpnConnections.map(\.id)))
        let shown = try await p.client.showConnection(id: created.vpnConnections[0].id)
        #expect(shown.style == "STATIC" && shown.status == "DOWN")
    }

    @Test("each retryable refusal is retried until it succeeds, creating exactly once", arguments: ["429", "504"])
    func retryable(kind: String) async throws {
        let rule = try FaultRule.parse("batch-create:\(kind):0.6").get()
        let p = try Self.start(faults: [rule], seed: 5)
        defer { p.server.stop() }
        for i in 0..<6 { _ = try await p.client.batchCreate(Self.request("p\(i)")) }
        #expect(p.server.emulator.connections().count == 12)
        #expect(p.server.emulator.requestCount > 6, "the fault was injected and retried")
    }

    @Test("a non-retryable error surfaces with status, code, message and request id")
    func nonRetryable() async throws {
        let p = try Self.start()
        defer { p.server.stop() }
        var bad = Self.request("x")
        bad.vpnConnections[0].style = "bgp"
        bad.vpnConnections[0].enableNQA = false
        do {
            _ = try await p.client.batchCreate(bad)
            Issue.record("accepted")
        } catch {
            guard case .api(let body) = error else { Issue.record("\(error)"); return }
            #expect(body.status == 400 && body.code == "VPN.0001")
            #expect(body.message.contains("enable_nqa"))
            #expect(body.requestID?.isEmpty == false)
            #expect(!error.description.contains("Loopback-Psk-1"))
        }
        #expect(p.server.emulator.requestCount == 1)
    }

    @Test("a wrong SK is 401 APIGW.0301")
    func wrongKey() async throws {
        let p = try Self.start(secretKey: "not-the-emulators-key")
        defer { p.server.stop() }
        await #expect { _ = try await p.client.listConnections(vgwID: Self.gateway) } throws: { ($0 as? VPNAPIError)?.code == "APIGW.0301" }
    }

    @Test("connections created, then the answer dropped: 'outcome unknown', sent once, and the connections exist")
    func outcomeUnknown() async throws {
        let p = try Self.start(faults: [FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 1)])
        defer { p.server.stop() }
        do {
            _ = try await p.client.batchCreate(Self.request("lost"))
            Issue.record("no error")
        } catch {
            guard case .outcomeUnknown = error else { Issue.record("\(error)"); return }
        }
        #expect(p.server.emulator.requestCount == 1, "never re-sent")
        #expect(p.server.emulator.connections().map(\.name) == ["lost-1", "lost-2"])
    }

    @Test("list pages through every connection with limit and marker")
    func paging() async throws {
        let p = try Self.start()
        defer { p.server.stop() }
        for i in 0..<7 { _ = try await p.client.batchCreate(Self.request("page\(i)")) }
        let all = try await p.client.listConnections(vgwID: Self.gateway, pageSize: 3)
        #expect(all.count == 14)
        #expect(Set(all.map(\.id)).count == 14)
        #expect(p.server.emulator.requestCount == 7 + 5)  // 14 items, 3 per page: 5 pages
    }
}

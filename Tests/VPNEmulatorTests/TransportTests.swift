import Foundation
import Synchronization
import Testing
import VPNAPI
import VPNCrypto
import VPNEmulator

/// The libcurl transport over real sockets: https with a private CA, and honest network errors.
@Suite struct TransportTests {
    final class Notices: Sendable {
        let all = Mutex<[RetryNotice]>([])
    }

    static let project = ClientEmulatorLoopbackTests.project
    static let gateway = ClientEmulatorLoopbackTests.gateway

    static func client(_ endpoint: URL, _ ak: String, _ sk: Secret, transport: TransportConfiguration = TransportConfiguration(),
                       deadline: Duration = .seconds(30), retried: Notices? = nil) throws -> VPNClient {
        try VPNClient(configuration: ClientConfiguration(endpoint: endpoint, projectID: project, credentials: Credentials(accessKey: ak, secretKey: sk),
                                                         retry: RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.02),
                                                         attemptDeadline: deadline),
                      transport: try CurlTransport(configuration: transport),
                      // Waits (Retry-After, the shared 429 hold) are announced in full but slept for 10 ms at most.
                      environment: VPNClient.Environment(sleep: { try await Task.sleep(for: .milliseconds(Int(min($0, 0.01) * 1000))) },
                                                         retrying: { notice in retried?.all.withLock { $0.append(notice) } }))
    }

    /// An emulator serving https with `ca`'s server certificate, and its throwaway credentials.
    static func httpsEmulator(_ ca: TestCA) throws -> (EmulatorServer, String, Secret) {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk)),
                                        options: .init(tls: (ca.serverCertificate, ca.serverKey)))
        return (server, ak, sk)
    }

    @Test("https round trip against the emulator with a test CA: create, list, show")
    func httpsRoundTrip() async throws {
        let ca = try TestCA.make()
        defer { ca.remove() }
        let (server, ak, sk) = try Self.httpsEmulator(ca)
        defer { server.stop() }
        #expect(server.baseURL.scheme == "https")
        let client = try Self.client(server.baseURL, ak, sk, transport: TransportConfiguration(caBundle: ca.caCertificate))
        let created = try await client.batchCreate(ClientEmulatorLoopbackTests.request("tls"))
        #expect(created.vpnConnections.map(\.name) == ["tls-1", "tls-2"])
        let listed = try await client.listConnections(vgwID: Self.gateway)
        #expect(Set(listed.map(\.id)) == Set(created.vpnConnections.map(\.id)))
        _ = try await client.showConnection(id: created.vpnConnections[0].id)
        #expect(server.acceptedConnections < server.emulator.requestCount, "reads reused the TLS connection")
    }

    @Test("a server certificate from a CA the client does not trust: a clear TLS error, nothing sent, no retry")
    func wrongCA() async throws {
        let ca = try TestCA.make()
        let other = try TestCA.make(name: "some other CA", serverCertificate: false)
        defer { ca.remove(); other.remove() }
        let (server, ak, sk) = try Self.httpsEmulator(ca)
        defer { server.stop() }
        let retried = Notices()
        let client = try Self.client(server.baseURL, ak, sk, transport: TransportConfiguration(caBundle: other.caCertificate), retried: retried)
        do {
            _ = try await client.batchCreate(ClientEmulatorLoopbackTests.request("tls"))
            Issue.record("the untrusted certificate was accepted")
        } catch {
            guard case .notSent(.tls(let host, let port, let detail)) = error else { Issue.record("\(error)"); return }
            #expect(host == "127.0.0.1" && port == Int(server.port))
            #expect(detail.localizedCaseInsensitiveContains("certificate"), "\(detail)")
            #expect(error.description.contains("--ca-bundle"))
        }
        #expect(server.emulator.requestCount == 0)
        #expect(retried.all.withLock { $0 }.isEmpty)
    }

    @Test("the system's CAs do not trust the test CA either: TLS verification is on by default")
    func verificationOnByDefault() async throws {
        let ca = try TestCA.make()
        defer { ca.remove() }
        let (server, ak, sk) = try Self.httpsEmulator(ca)
        defer { server.stop() }
        await #expect { _ = try await Self.client(server.baseURL, ak, sk).listConnections(vgwID: Self.gateway) } throws: { error in
            guard case .notSent(.tls) = error as? VPNAPIError else { return false }
            return true
        }
        #expect(server.emulator.requestCount == 0)
    }

    @Test("a refused connection is reported at once, naming the address, without retries")
    func refused() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk)))
        let url = server.baseURL, port = Int(server.port)
        server.stop()
        let retried = Notices()
        // Long timeouts, so that "at once" shows against them even when the test pool is busy.
        let client = try Self.client(url, ak, sk, transport: TransportConfiguration(connectTimeout: .seconds(120)),
                                     deadline: .seconds(300), retried: retried)
        let start = ContinuousClock.now
        await #expect(throws: VPNAPIError.notSent(.connectionRefused(host: "127.0.0.1", port: port))) {
            _ = try await client.batchCreate(ClientEmulatorLoopbackTests.request("x"))
        }
        #expect(ContinuousClock.now - start < .seconds(60))
        #expect(retried.all.withLock { $0 }.isEmpty)
        #expect(VPNAPIError.notSent(.connectionRefused(host: "127.0.0.1", port: 443)).description
                    == "the request was not sent: connection refused by 127.0.0.1:443 (is the endpoint right?)")
    }

    @Test("an answer later than the attempt deadline: a POST's outcome is unknown after the deadline, not before")
    func deadline() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk, latency: .seconds(2))))
        defer { server.stop() }
        let client = try Self.client(server.baseURL, ak, sk, deadline: .milliseconds(300))
        let start = ContinuousClock.now
        await #expect(throws: VPNAPIError.outcomeUnknown(.timedOut(milliseconds: 300))) {
            _ = try await client.batchCreate(ClientEmulatorLoopbackTests.request("slow"))
        }
        // The emulator answers after 2 s: the failure names libcurl's 300 ms deadline, not a later one.
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        #expect(server.emulator.requestCount == 1)
    }

    @Test("every retry is announced with its reason and wait")
    func retryNotices() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(
            accessKey: ak, secretKey: sk, faults: [FaultRule(operation: .batchCreate, kind: .status(429), rate: 1)])))
        defer { server.stop() }
        let retried = Notices()
        let client = try Self.client(server.baseURL, ak, sk, retried: retried)
        await #expect(throws: VPNAPIError.self) { _ = try await client.batchCreate(ClientEmulatorLoopbackTests.request("t")) }
        let notices = retried.all.withLock { $0 }
        // Four attempts: three waits after a 429, and three shared holds before the next attempt.
        #expect(notices.filter { $0.reason == .throttled }.count == 3)
        #expect(notices.first { $0.reason == .throttled }?.description.hasPrefix("throttled (429), retrying in ") == true)
        #expect(notices.contains { $0.reason == .heldBack })
        #expect(server.emulator.receivedBatchCreates.count == 4)
    }

    @Test("after a 401 the client sends nothing more, from any caller")
    func stopsAfterRejection() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk)))
        defer { server.stop() }
        let client = try Self.client(server.baseURL, ak, Secret("not-the-key"))
        await #expect { _ = try await client.listConnections(vgwID: Self.gateway) } throws: { error in
            guard case .credentialsRejected(let body) = error as? VPNAPIError else { return false }
            return body.status == 401 && body.code == "APIGW.0301"
        }
        await #expect { _ = try await client.reportingRetries { _ in }.batchCreate(ClientEmulatorLoopbackTests.request("n")) } throws: { error in
            guard case .credentialsRejected = error as? VPNAPIError else { return false }
            return true
        }
        #expect(server.emulator.requestCount == 1)
        #expect(client.credentialsGate.rejected?.status == 401)
    }
}

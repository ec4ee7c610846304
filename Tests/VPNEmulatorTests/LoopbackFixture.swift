import Foundation
import VPNAPI
import VPNCrypto
import VPNEmulator

/// An emulator served over loopback HTTP and the real client signed for it.
struct LoopbackFixture {
    static let project = "0123456789abcdef0123456789abcdef"
    static let gateway = "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8"
    static let eips = ["0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4", "1fb97767-d780-4d8b-83bb-6f878f662005"]
    static let customerGateway = "12f3577a-cbd8-4602-b68c-ecbf792fcec5"

    let server: EmulatorServer
    let client: VPNClient
    var emulator: VPNEmulator { server.emulator }

    /// Starts an emulator configured by `configure`; the client uses `project`.
    init(project: String = Self.project, _ configure: (inout EmulatorConfiguration) -> Void = { _ in }) throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        var config = EmulatorConfiguration(accessKey: ak, secretKey: sk)
        configure(&config)
        server = try EmulatorServer(emulator: VPNEmulator(configuration: config))
        client = Self.client(server.baseURL, project: project, accessKey: ak, secretKey: sk)
    }

    /// A client of the same emulator in another project.
    func client(project: String) -> VPNClient {
        Self.client(server.baseURL, project: project, accessKey: client.configuration.credentials.accessKey,
                    secretKey: client.configuration.credentials.secretKey)
    }

    static func client(_ url: URL, project: String, accessKey: String, secretKey: Secret) -> VPNClient {
        try! VPNClient(
            configuration: ClientConfiguration(endpoint: url, projectID: project,
                                               credentials: Credentials(accessKey: accessKey, secretKey: secretKey),
                                               retry: RetryPolicy(maxAttempts: 1, baseDelay: 0.01, maxDelay: 0.05)),
            transport: try CurlTransport())
    }

    /// A pair (one connection per IP) on `gateway`.
    static func pair(_ name: String, gateway: String = Self.gateway, ips: [String] = Self.eips) -> BatchCreateRequest {
        BatchCreateRequest(vpnConnections: ips.enumerated().map { i, ip in
            CreateVPNConnection(name: "\(name)-\(i + 1)", vgwID: gateway, vgwIP: ip, style: "static",
                                cgwID: customerGateway, peerSubnets: ["192.168.2.0/24"], psk: Secret("Loopback-Psk-1"))
        })
    }

    func stop() { server.stop() }
}

/// The API error a call threw, or `nil` when it did not throw one.
func apiError<T>(_ call: () async throws -> T) async -> APIErrorBody? {
    do {
        _ = try await call()
        return nil
    } catch {
        switch error as? VPNAPIError {
        case .api(let body)?, .credentialsRejected(let body)?: return body
        default: return nil
        }
    }
}

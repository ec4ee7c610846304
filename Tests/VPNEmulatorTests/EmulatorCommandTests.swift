import Foundation
import TestSupport
import Testing
import VPNAPI
import VPNCrypto
import VPNEmulator

/// `vpnform emulator` as a process: the gateways of `--gateways-from`, `--strict-gateways`, `--settle`,
/// read by the real client over loopback HTTP.
@Suite struct EmulatorCommandTests {
    typealias F = LoopbackFixture
    static let branch = "b030f6d6-32a8-4d20-a7f8-50a7a826e2f8"
    static let desired = """
    version: 1
    project_id: 0123456789abcdef0123456789abcdef
    region: cn-north-4
    gateways:
      - name: hq
        id: \(F.gateway)
        ips: [\(F.eips[0]), \(F.eips[1])]
        connections:
          - name: shanghai
            cgw_id: \(F.customerGateway)
            peer_subnets: [192.168.2.0/24]
            psk: ${PSK_SHANGHAI}
            ha_role: master
      - name: branch
        id: \(branch)
        ips: [10.1.0.5]
        connections:
          - name: wuhan
            cgw_id: \(F.customerGateway)
            peer_subnets: [192.168.3.0/24]
            psk: ${PSK_WUHAN}

    """

    /// A running `vpnform emulator ARGUMENTS` and a client of it.
    final class Running {
        let emulator: EmulatorProcess
        let client: VPNClient

        init(_ arguments: [String]) throws {
            emulator = try EmulatorProcess(arguments: arguments)
            client = F.client(URL(string: emulator.endpoint)!, project: F.project, accessKey: emulator.accessKey,
                              secretKey: Secret(emulator.secretKey))
        }

        func stop() { emulator.stop() }
    }

    @Test("--gateways-from registers the file's gateways; --strict-gateways refuses others; --settle delays DOWN")
    func gatewaysFrom() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emu-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = dir.appendingPathComponent("vpn.yaml"), data = dir.appendingPathComponent("emu.json")
        try Self.desired.write(to: yaml, atomically: true, encoding: .utf8)

        let first = try Running(["--gateways-from", yaml.path, "--strict-gateways", "--settle", "300", "--quota", "6",
                                 "--data", data.path])
        defer { first.stop() }
        let gateways = try await first.client.listGateways()
        #expect(gateways.map(\.id) == [F.gateway, Self.branch])
        #expect(gateways.map(\.haMode) == ["active-standby", "active-active"])
        #expect(gateways[0].connectionIPs == F.eips && gateways[0].networkType == "public")
        #expect(gateways[1].accessPrivateIP1 == "10.1.0.5" && gateways[1].networkType == "private")
        #expect(gateways.map(\.connectionNumber) == [6, 6])

        let unknown = "c030f6d6-32a8-4d20-a7f8-50a7a826e2f8"
        let refused = await apiError { try await first.client.batchCreate(F.pair("x", gateway: unknown)) }
        #expect(refused?.code == "VPN.0509")
        let sent = Date()
        let made = try await first.client.batchCreate(F.pair("hq-shanghai"))
        let early = try await first.client.showConnection(id: made.vpnConnections[0].id).status
        // Only an answer that came back after the settle time may already be DOWN (a loaded machine).
        #expect(early == "PENDING_CREATE" || (early == "DOWN" && Date().timeIntervalSince(sent) >= 0.3))
        try await Task.sleep(for: .milliseconds(350))
        #expect(try await first.client.showConnection(id: made.vpnConnections[0].id).status == "DOWN")
        first.stop()

        // The data file alone brings the gateways back.
        let second = try Running(["--data", data.path])
        defer { second.stop() }
        #expect(try await second.client.showGateway(id: Self.branch).usedConnectionNumber == 0)
        #expect(try await second.client.showGateway(id: F.gateway).usedConnectionNumber == 2)
    }

    @Test("--gateways-from with a file that cannot be read exits 1 and says so")
    func unreadable() throws {
        let process = Process()
        process.executableURL = BinaryRunner.executable
        process.arguments = ["emulator", "--gateways-from", "/nonexistent/vpn.yaml"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains("--gateways-from") && text.contains("/nonexistent/vpn.yaml"))
    }
}

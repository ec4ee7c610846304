import Foundation
import VPNAPI
import VPNApply
import VPNCrypto
import VPNEmulator
import VPNForm

/// `vpnform-bench refresh N`: the live read of `apply` and `plan --refresh` on N pairs against the
/// in-process emulator with added latency: calls made and wall time, for the strategy the reader
/// chooses and, for comparison, one list a gateway.
struct RefreshBench {
    let pairs: Int
    let latencyMS: Int
    let dir: URL

    func run() async throws {
        let (yaml, _) = try Estates.generate(pairs: pairs, in: dir, withState: false)
        guard let desired = try DesiredStateLoader().load(path: yaml).state else { fail("invalid estate") }
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let data = dir.appendingPathComponent("refresh-emulator.json").path
        try? FileManager.default.removeItem(atPath: data)
        let gateways = desired.gateways.map { VPNEmulator.makeGateway(id: $0.id.value.rawValue, ips: $0.ips.value.map(\.value)) }

        // Fill the emulator quickly (no latency), then read it back through one with latency.
        do {
            let emulator = try VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk, gateways: gateways))
            let server = try EmulatorServer(emulator: emulator)
            defer { server.stop() }
            let plan = Planner.plan(desired: desired, state: .empty())
            guard case .success(let (psks, _)) = PSKResolver.resolve(work: plan.entries, desired: desired, environment: [:],
                                                                     throwaway: true) else { fail("psks") }
            let statePath = dir.appendingPathComponent("refresh.state.json").path
            try? FileManager.default.removeItem(atPath: statePath)
            let executor = Executor(client: try client(server, ak, sk), desired: desired, psks: psks,
                                    writer: StateWriter(store: StateStore(path: statePath), state: .empty(), stateFileExists: false),
                                    options: .init(parallelism: 16))
            let report = await executor.run(plan)
            guard report.failed == 0 else { fail("filling the emulator failed") }
            try emulator.save(to: data)
        }
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(
            accessKey: ak, secretKey: sk, latency: .milliseconds(latencyMS), dataFile: data)))
        defer { server.stop() }
        let client = try client(server, ak, sk)
        let ids = desired.gateways.map(\.id.value)
        print("\n| refresh, \(pairs) pairs (\(ids.count) gateways), \(latencyMS) ms latency | gateway calls | list calls | connections | wall |")
        print("|---|---:|---:|---:|---:|")
        let started = Date()
        let read = try await LiveReader(client: client, parallelism: 4).read(ids)
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "| vpnform's choice | %d | %d | %d | %.2f s |", read.gatewayCalls, read.listCalls,
                     read.view.connections.count, seconds))
        let byGateway = Date()
        var count = 0
        for chunk in stride(from: 0, to: ids.count, by: 4).map({ Array(ids[$0..<min($0 + 4, ids.count)]) }) {
            count += try await withThrowingTaskGroup(of: Int.self) { group in
                for id in chunk { group.addTask { try await client.listConnections(vgwID: id.rawValue).count } }
                return try await group.reduce(0, +)
            }
        }
        print(String(format: "| one list a gateway, 4 at once (no gateway reads) | 0 | %d | %d | %.2f s |", ids.count, count,
                     Date().timeIntervalSince(byGateway)))
    }

    func client(_ server: EmulatorServer, _ ak: String, _ sk: Secret) throws -> VPNClient {
        try VPNClient(configuration: ClientConfiguration(endpoint: server.baseURL, projectID: "0123456789abcdef0123456789abcdef",
                                                         credentials: Credentials(accessKey: ak, secretKey: sk)),
                      transport: try CurlTransport())
    }
}

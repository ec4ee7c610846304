import EstateGenerator
import Foundation
import TestSupport
import Testing
import VPNAPI
@testable import VPNApply
import VPNCrypto
import VPNEmulator
import VPNForm

/// The executor, the real client and the libcurl transport against the emulator served over loopback
/// HTTP with keep-alive on, as the API gateway serves: a batch-create never reaches the API twice.
@Suite struct KeepAliveExactlyOnceTests {
    /// A clock that moves one second per reading, so every attempt is signed at its own `X-Sdk-Date`
    /// and two batch-creates with the same signature can only be one request sent twice by the stack.
    final class SteppingClock: Sendable {
        private let ticks = Locked(0)
        private let start = Date()
        func now() -> Date { start.addingTimeInterval(Double(ticks.withLock { $0 += 1; return $0 })) }
    }

    struct LoopbackRig {
        let rig: ExecutorTests.Rig
        let server: EmulatorServer
    }

    static func rig(pairs: Int, faults: [FaultRule], seed: UInt64, deadline: Duration = .seconds(30)) throws -> LoopbackRig {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let emulator = try VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk, faults: faults, seed: seed,
                                                                            maxClockSkew: 86_400))
        let server = try EmulatorServer(emulator: emulator)
        let clock = SteppingClock()
        let client = try VPNClient(
            configuration: ClientConfiguration(endpoint: server.baseURL, projectID: ExecutorTests.project,
                                               credentials: Credentials(accessKey: ak, secretKey: sk),
                                               retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.001, maxDelay: 0.01),
                                               attemptDeadline: deadline),
            transport: try CurlTransport(),
            // Retry-After and the shared 429 hold are honoured, shortened to keep the test quick.
            environment: VPNClient.Environment(now: clock.now, sleep: { try await Task.sleep(for: .milliseconds(Int(min($0, 0.005) * 1000))) }))
        let yaml = EstateGenerator(pairs: pairs, connectionsPerGateway: 10, seed: seed).yaml()
        let loaded = DesiredStateLoader().load(bytes: Array(yaml.utf8), file: "gen.yaml")
        let scratch = Scratch()
        let rig = ExecutorTests.Rig(emulator: emulator, client: client, desired: try #require(loaded.state),
                                    store: StateStore(path: scratch.path("s.json")), scratch: scratch)
        return LoopbackRig(rig: rig, server: server)
    }

    @Test("240 pairs through 429 storms, 5xx and drops after commit, keep-alive on: one connection per (pair, IP), no POST twice")
    func faultsOverKeepAlive() async throws {
        let r = try Self.rig(pairs: 240, faults: [
            FaultRule(operation: .batchCreate, kind: .status(429), rate: 0.3),
            FaultRule(operation: .batchCreate, kind: .status(503), rate: 0.1),
            FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 0.15),
            FaultRule(operation: .batchCreate, kind: .dropBeforeCommit, rate: 0.05),
            FaultRule(operation: .list, kind: .status(503), rate: 0.1),
            FaultRule(operation: .list, kind: .dropBeforeCommit, rate: 0.05),
        ], seed: 7)
        defer {
            r.server.stop()
        }
        var (report, state) = try await r.rig.run(parallelism: 8)
        for _ in 0..<5 where report.failed > 0 {
            (report, state) = try await r.rig.run(parallelism: 8)
        }
        #expect(report.failed == 0)
        ExecutorTests.expectConverged(r.rig, state)

        let creates = r.server.emulator.receivedBatchCreates
        #expect(creates.count > 240, "faults made the executor create again: \(creates.count) batch-creates")
        let signatures = creates.map(\.signature)
        #expect(Set(signatures).count == signatures.count, "a batch-create arrived twice with the same signature")
        #expect(creates.allSatisfy { $0.earlierRequestsOnConnection == 0 }, "a batch-create rode a reused connection")
        #expect(Set(creates.map(\.connectionNumber)).count == creates.count, "two batch-creates shared a connection")
        var perPair: [String: Int] = [:]
        for create in creates { perPair[create.names.sorted().joined(separator: "+"), default: 0] += 1 }
        #expect(perPair.count >= 240 && perPair.values.allSatisfy { $0 >= 1 })
        // Keep-alive was really on: the reads shared connections.
        #expect(r.server.acceptedConnections < r.server.emulator.requestCount)
    }

    @Test("a batch-create committed, then its connection reset while a kept-alive connection stood by: lost at once, listed, adopted, never re-sent")
    func commitThenReset() async throws {
        // A long attempt deadline: waiting it out would take minutes; knowing the answer is lost takes
        // milliseconds (a generous bound below, as the test pool may be busy with other suites).
        let r = try Self.rig(pairs: 1, faults: [], seed: 3, deadline: .seconds(300))
        defer {
            r.server.stop()
        }
        // A read first leaves an idle kept-alive connection that libcurl could reuse.
        let gateway = r.rig.desired.gateways[0].id.value.rawValue
        _ = try await r.rig.client.listConnections(vgwID: gateway)
        r.server.emulator.setFaults([FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 1)])
        let (report, state) = try await r.rig.run(parallelism: 1)
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.result == .created)
        #expect(outcome.seconds < 60, "the lost answer was known at once, not after the deadline: \(outcome.seconds) s")
        let creates = r.server.emulator.receivedBatchCreates
        #expect(creates.count == 1, "the POST was sent \(creates.count) times")
        #expect(creates.first?.earlierRequestsOnConnection == 0, "the POST did not ride the kept-alive connection")
        ExecutorTests.expectConverged(r.rig, state)
    }
}

/// A 401 stops the whole run: no pair starts after it, so 60 pairs do not make 60 refused calls.
@Suite struct StopOnRejectionTests {
    @Test("credentials the API refuses: the run stops after the calls already in flight, the rest are skipped")
    func stops() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let emulator = try VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk))
        let server = try EmulatorServer(emulator: emulator)
        defer { server.stop() }
        let client = try VPNClient(
            configuration: ClientConfiguration(endpoint: server.baseURL, projectID: ExecutorTests.project,
                                               credentials: Credentials(accessKey: ak, secretKey: Secret("not-the-key"))),
            transport: try CurlTransport())
        var rig = try ExecutorTests.rig(pairs: 60)
        rig = ExecutorTests.Rig(emulator: emulator, client: client, desired: rig.desired, store: rig.store, scratch: rig.scratch)
        let (report, state) = try await rig.run(parallelism: 4)
        #expect(report.stoppedBy?.status == 401)
        #expect(emulator.requestCount <= 4, "\(emulator.requestCount) signed calls reached the API")
        #expect(report.failed >= 1 && report.failed <= 4)
        #expect(report.skipped == 60 - report.failed)
        #expect(report.succeeded == 0 && !report.interrupted)
        #expect(state.pairs.isEmpty, "a refused create leaves nothing pending")
        #expect(emulator.connections().isEmpty)
    }
}

import EstateGenerator
import Foundation
import TestSupport
import Testing
import VPNAPI
@testable import VPNApply
import VPNCrypto
import VPNEmulator
import VPNForm

/// The executor against the real emulator logic (in process, no sockets): journal, recovery and
/// exactly-once creation under faults.
@Suite struct ExecutorTests {
    static let project = "0123456789abcdef0123456789abcdef"

    struct Rig {
        let emulator: VPNEmulator
        let client: VPNClient
        let desired: DesiredState
        let store: StateStore
        let scratch: Scratch

        func run(parallelism: Int = 4, stopAfter: Int? = nil) async throws -> (ApplyReport, StateFile) {
            let state = try store.load().state
            let plan = Planner.plan(desired: desired, state: state)
            let work = plan.entries.filter { $0.action == .create || $0.action == .recover }
            guard case .success(let (psks, _)) = PSKResolver.resolve(work: work, desired: desired, environment: [:], throwaway: true) else {
                throw CancellationError()
            }
            let writer = StateWriter(store: store, state: state, stateFileExists: FileManager.default.fileExists(atPath: store.path))
            let executor = Executor(client: client, desired: desired, psks: psks, writer: writer, options: .init(parallelism: parallelism))
            let started = Locked(0)
            let report = await executor.run(plan, shouldStop: {
                guard let stopAfter else { return false }
                return started.withLock { $0 += 1; return $0 } > stopAfter
            })
            return (report, try store.load().state)
        }
    }

    static func rig(pairs: Int, faults: [FaultRule] = [], seed: UInt64 = 3, quota: Int? = nil) throws -> Rig {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let emulator = try VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk, faults: faults, seed: seed, quotaPerGateway: quota))
        let client = try VPNClient(
            configuration: ClientConfiguration(endpoint: URL(string: "http://127.0.0.1:1")!, projectID: project,
                                               credentials: Credentials(accessKey: ak, secretKey: sk),
                                               retry: RetryPolicy(maxAttempts: 8, baseDelay: 0.001, maxDelay: 0.01)),
            transport: InProcessTransport(emulator: emulator),
            environment: VPNClient.Environment(sleep: { _ in }))
        let yaml = EstateGenerator(pairs: pairs, connectionsPerGateway: 10, seed: seed).yaml()
        let loaded = DesiredStateLoader().load(bytes: Array(yaml.utf8), file: "gen.yaml")
        let scratch = Scratch()
        return Rig(emulator: emulator, client: client, desired: loaded.state!, store: StateStore(path: scratch.path("s.json")),
                   scratch: scratch)
    }

    /// Exactly one emulator connection per desired (pair, IP), and the state records exactly those.
    static func expectConverged(_ rig: Rig, _ state: StateFile) {
        let all = rig.emulator.connections()
        var expected: [String: String] = [:]  // "vgw/vgw_ip/name" -> address
        for g in rig.desired.gateways {
            for c in g.connections {
                for (i, name) in g.apiNames(of: c).enumerated() {
                    expected["\(g.id.value)/\(g.ips.value[i].value)/\(name.value)"] = g.address(of: c).rawValue
                }
            }
        }
        let actual = all.map { "\($0.vgwID!)/\($0.vgwIP!)/\($0.name!)" }
        #expect(actual.count == Set(actual).count, "duplicates on the emulator")
        #expect(Set(actual) == Set(expected.keys), "emulator holds \(actual.count), expected \(expected.count)")
        #expect(state.pairs.count == rig.desired.pairCount)
        #expect(state.pairs.values.allSatisfy { $0.status == .created })
        let stateIDs = Set(state.pairs.values.flatMap { $0.connections.compactMap { $0.id?.rawValue } })
        #expect(stateIDs == Set(all.map(\.id)), "state ids differ from the emulator's")
    }

    @Test("a clean run creates every pair once and records every id")
    func clean() async throws {
        let rig = try Self.rig(pairs: 30)
        let (report, state) = try await rig.run()
        #expect(report.failed == 0 && report.succeeded == 30)
        Self.expectConverged(rig, state)
        #expect(!Planner.plan(desired: rig.desired, state: state).hasChanges)
    }

    @Test("429 storms, 5xx, and answers dropped before or after commit: still exactly once", arguments: [1, 2, 3] as [UInt64])
    func faults(seed: UInt64) async throws {
        let rig = try Self.rig(pairs: 60, faults: [
            FaultRule(operation: .batchCreate, kind: .status(429), rate: 0.3),
            FaultRule(operation: .batchCreate, kind: .status(500), rate: 0.1),
            FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 0.15),
            FaultRule(operation: .batchCreate, kind: .dropBeforeCommit, rate: 0.05),
            FaultRule(operation: .list, kind: .status(503), rate: 0.1),
        ], seed: seed)
        var (report, state) = try await rig.run(parallelism: 8)
        // Pairs that stayed pending (every attempt uncertain) are finished by the next run.
        for _ in 0..<5 where report.failed > 0 {
            (report, state) = try await rig.run(parallelism: 8)
        }
        #expect(report.failed == 0)
        #expect(rig.emulator.requestCount > 70, "faults were injected and retried: \(rig.emulator.requestCount) requests for 60 pairs")
        Self.expectConverged(rig, state)
    }

    @Test("an interrupted run leaves pending pairs that the next run adopts without duplicates")
    func interruptedThenRecovered() async throws {
        let rig = try Self.rig(pairs: 20, faults: [FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 1)])
        // Every answer is lost and listing fails: the pairs stay pending, although created.
        rig.emulator.setFaults([FaultRule(operation: .batchCreate, kind: .dropAfterCommit, rate: 1), FaultRule(operation: .list, kind: .status(503), rate: 1)])
        let (first, pendingState) = try await rig.run()
        #expect(first.failed == 20)
        #expect(pendingState.pairs.values.allSatisfy { $0.status == .pending })
        #expect(rig.emulator.connections().count == rig.desired.apiConnectionCount)
        let plan = Planner.plan(desired: rig.desired, state: pendingState)
        #expect(plan.count(.recover) == 20)
        rig.emulator.setFaults([])
        let (second, state) = try await rig.run()
        #expect(second.outcomes.allSatisfy { $0.result == .adopted })
        Self.expectConverged(rig, state)
    }

    @Test("a pair journalled ahead that never starts (the run was stopped) leaves no trace in the state")
    func stoppedAfterJournallingAhead() async throws {
        let rig = try Self.rig(pairs: 20)
        // At parallelism 1 the stop is polled twice per pair: when it starts (calls 1, 3, 5 …) and
        // before its successor's pending entry is written ahead (calls 2, 4, 6 …). Call 11 is the
        // start of the sixth pair, whose entry call 10 let through.
        let (report, state) = try await rig.run(parallelism: 1, stopAfter: 10)
        #expect(report.outcomes.filter { $0.result == .created }.count == 5)
        #expect(report.outcomes.filter { $0.result == .skipped }.count == 15)
        #expect(state.pairs.count == 5 && state.pairs.values.allSatisfy { $0.status == .created },
                "\(state.pairs.keys.sorted())")
        #expect(rig.emulator.connections().count == state.pairs.values.reduce(0) { $0 + $1.connections.count })
    }

    /// Holds each batch-create until `expected` are waiting at once (or a second has passed), and
    /// remembers the most it saw waiting together.
    struct GatheringTransport: HTTPTransport {
        let inner: InProcessTransport
        let expected: Int
        let waiting = Locked(0)
        let most = Locked(0)

        func send(_ request: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage {
            guard request.url.path.hasSuffix("/batch-create") else { return try await inner.send(request) }
            let now = waiting.withLock { $0 += 1; return $0 }
            most.withLock { $0 = max($0, now) }
            for _ in 0..<100 where waiting.withLock({ $0 }) < expected {
                try? await Task.sleep(for: .milliseconds(10))
            }
            defer { waiting.withLock { $0 -= 1 } }
            return try await inner.send(request)
        }
    }

    @Test("every worker has a pair: four pairs at parallelism 4 are all in flight at once")
    func noClaimAheadAtTheEnd() async throws {
        let rig = try Self.rig(pairs: 4)
        let gathering = GatheringTransport(inner: InProcessTransport(emulator: rig.emulator), expected: 4)
        let client = try VPNClient(configuration: rig.client.configuration, transport: gathering,
                                   environment: VPNClient.Environment(sleep: { _ in }))
        let plan = Planner.plan(desired: rig.desired, state: .empty())
        guard case .success(let (psks, _)) = PSKResolver.resolve(work: plan.entries, desired: rig.desired, environment: [:],
                                                               throwaway: true) else { throw CancellationError() }
        let writer = StateWriter(store: rig.store, state: .empty(), stateFileExists: false)
        let report = await Executor(client: client, desired: rig.desired, psks: psks, writer: writer,
                                    options: .init(parallelism: 4)).run(plan)
        #expect(report.outcomes.count == 4 && report.failed == 0)
        #expect(gathering.most.withLock { $0 } == 4, "a worker held a second pair while another had none")
    }

    @Test("a partial find (one of two connections) is adopted and only the missing one is created")
    func partial() async throws {
        let rig = try Self.rig(pairs: 1)
        let g = rig.desired.gateways[0], c = g.connections[0]
        let pair = DesiredPair(gateway: g, connection: c)
        // An earlier run created only the first connection, then died with the pair pending.
        var state = StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21")
        state.recordPending(g.address(of: c), pair)
        try rig.store.save(state)
        _ = try await rig.client.batchCreate(BatchCreateRequest(gateway: g, connection: c, psk: Secret("Abcdefgh123"), indices: [0]))
        let (report, after) = try await rig.run()
        #expect(report.outcomes.first?.result == .completed(adopted: 1, created: 1))
        Self.expectConverged(rig, after)
    }

    @Test("a refused create leaves no trace in the state; the others succeed (partial apply)")
    func refused() async throws {
        // Two connections per gateway: the first pair of each two-IP gateway fits, the rest are refused.
        let rig = try Self.rig(pairs: 12, quota: 2)
        let (report, state) = try await rig.run(parallelism: 1)
        #expect(report.succeeded > 0 && report.failed > 0)
        #expect(report.outcomes.filter { if case .failed(let why) = $0.result { return why.contains("quota") && why.api != nil } else { return false } }.count == report.failed)
        #expect(state.pairs.count == report.succeeded)
        #expect(state.pairs.values.allSatisfy { $0.status == .created })
        #expect(Set(state.pairs.values.flatMap { $0.connections.compactMap { $0.id?.rawValue } }) == Set(rig.emulator.connections().map(\.id)))
    }
}

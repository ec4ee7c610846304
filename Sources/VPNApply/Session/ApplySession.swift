import Foundation
import VPNAPI
import VPNCrypto
import VPNEmulator
import VPNForm

/// One apply as a use case: everything that can be checked before the first API call, then the run.
///
/// ``open(_:)`` does the pre-flight in order — inputs (saved plan, desired file), the state under
/// its lock, the plan, then what the calls need (pre-shared keys, credentials, project, endpoint,
/// emulator, client) — and throws the first ``ApplyFailure``, having sent nothing. The open session
/// holds the state lock until ``close()``. ``run(shouldStop:progress:)`` carries out the plan.
///
/// Before anything that changes the cloud, ``open(_:)`` also reads the live API: every gateway of
/// the file and the state with their connections (the reads double as the credential check), the
/// gateway checks, and the refresh, so ``plan`` is what the API holds against the file and
/// ``run(shouldStop:progress:)`` adopts before it creates. A wait for the created connections
/// (``ApplyRequest/wait``) follows the executor there.
public final class ApplySession: Sendable {
    /// The plan being applied, refreshed against the live API.
    public let plan: Plan
    /// The plan's entries that make calls: everything but no-ops.
    public let work: [PlanEntry]
    /// The desired file's warnings (it has no errors, or the session would not be open).
    public let warnings: [Diagnostic]
    /// The desired file.
    public let desiredPath: String
    /// The state file this run reads and writes.
    public let statePath: String
    /// Whether a saved plan is applied (it was approved when it was saved).
    public let appliesSavedPlan: Bool
    /// Environment variables that were unset and got throwaway keys (emulator runs only).
    public let throwawayKeys: [String]
    /// The in-process emulator's address, for `--emulator` runs with work to do.
    public let emulatorURL: URL?
    /// The client of the API.
    public let client: VPNClient
    /// What the live API showed, the refreshed state, the gateway warnings.
    public let live: LiveCheck

    let desired: DesiredState
    let state: StateFile
    let stateFileExists: Bool
    let psks: [PairAddress: Secret]
    let parallelism: Int
    let lock: StateLock
    let server: EmulatorServer?
    let cloud: CloudTarget
    let wait: StatusWaiter.Options?
    let moves: [(from: PairAddress, to: PairAddress)]
    let replacePSK: Set<PairAddress>

    init(inputs: Inputs, target: Target, live: LiveCheck, psks: [PairAddress: Secret], lock: StateLock,
         request: ApplyRequest) {
        var scoped = request.policy.scope(live.plan)
        scoped.moved = inputs.moves.map { Move(from: $0.from.rawValue, to: $0.to.rawValue) }
        plan = scoped
        work = plan.entries.filter(\.makesCalls)
        moves = inputs.moves
        replacePSK = Set(request.policy.replacePSK.map(PairAddress.init(rawValue:)))
        warnings = inputs.warnings + live.warnings
        desiredPath = inputs.desiredPath
        statePath = inputs.statePath
        appliesSavedPlan = inputs.savedPlan != nil
        desired = inputs.desired
        state = inputs.state
        stateFileExists = inputs.stateFileExists
        parallelism = inputs.parallelism
        throwawayKeys = target.throwawayKeys
        emulatorURL = target.server?.baseURL
        client = target.client
        self.psks = psks
        server = target.server
        cloud = target.cloud
        self.live = live
        self.lock = lock
        self.wait = request.wait
    }

    /// Runs every pre-flight check, reads the live API and opens the session, holding the state lock.
    /// - Throws: The first ``ApplyFailure``; nothing that changes anything was sent and nothing on
    ///   disk changed.
    public static func open(_ request: ApplyRequest) async throws(ApplyFailure) -> ApplySession {
        let source = try Inputs.Source(request)
        let lock: StateLock
        do {
            lock = try StateLock.acquire(statePath: source.statePath, command: "apply", timeout: request.lockTimeout)
        } catch {
            throw .state(error)
        }
        var target: Target?
        do {
            let inputs = try Inputs(source, request: request)
            target = try Target(inputs, request: request)
            let t = target!
            if let recorded = inputs.state.cloud, !recorded.matches(t.cloud) {
                throw ApplyFailure.otherCloud(statePath: inputs.statePath, recorded: recorded, target: t.cloud)
            }
            let live = try await readLive(inputs, t.client, parallelism: request.parallelism)
            let scoped = request.policy.scope(live.plan)
            let unknown = request.policy.unknownTargets(in: live.plan)
            if !unknown.isEmpty { throw ApplyFailure.unknownTargets(unknown) }
            let violations = request.policy.violations(scoped, desired: inputs.desired,
                                                       managed: inputs.state.pairs.count)
            if !violations.isEmpty { throw ApplyFailure.guarded(violations) }
            // The refresh may plan more creates (connections deleted outside vpnform): their keys too.
            let work = scoped.entries.filter(\.needsKey)
            var psks = t.psks
            if work.contains(where: { psks[$0.address] == nil }) {
                switch PSKResolver.resolve(work: work, desired: inputs.desired, environment: request.environment,
                                           throwaway: request.emulator) {
                case .failure(.missing(let names)): throw ApplyFailure.missingKeys(names: names)
                case .failure(.invalid(let keys)): throw ApplyFailure.invalidKeys(keys)
                case .success(let (resolved, _)): psks = resolved
                }
            }
            return ApplySession(inputs: inputs, target: t, live: live, psks: psks, lock: lock, request: request)
        } catch let error as ApplyFailure {
            target?.server?.stop()
            lock.release()
            throw error
        } catch {
            target?.server?.stop()
            lock.release()
            throw .emulatorFailed("\(error)")
        }
    }

    /// The live read, with a saved plan held to what it was made against.
    private static func readLive(_ inputs: Inputs, _ client: VPNClient, parallelism: Int) async throws(ApplyFailure) -> LiveCheck {
        let live: LiveCheck
        do throws(LiveCheck.Failure) {
            live = try await LiveCheck.run(client: client, desired: inputs.desired, state: inputs.state, file: inputs.desiredPath,
                                           parallelism: parallelism)
        } catch {
            switch error {
            case .api(let error): throw .liveRead(error)
            case .gateways(let findings): throw .gatewayChecks(findings)
            }
        }
        guard let saved = inputs.savedPlan else { return live }
        if saved.refreshed {
            var document = PlanDocument(plan: live.plan, desiredPath: saved.desiredPath, desiredSHA256: saved.desiredSHA256,
                                        statePath: saved.statePath, stateSHA256: saved.stateSHA256, lineage: inputs.state.lineage)
            document.withLiveStatus = false
            guard saved.matches(document) else { throw .liveChangedSincePlan(path: inputs.desiredPath) }
        } else if live.plan.entries.map(\.action) != inputs.plan.entries.map(\.action) {
            throw .driftSinceOfflinePlan(path: inputs.desiredPath, drift: live.plan.drift)
        }
        return live
    }

    /// Records what the refresh found, then applies the plan's creates and recovers (adopting
    /// before creating), then, with ``ApplyRequest/wait``, waits for the new connections.
    /// - Parameters:
    ///   - shouldStop: Polled before each pair starts; once true, no new pair starts.
    ///   - progress: Called once per finished pair, in completion order.
    ///   - retrying: Called before every wait for a further attempt of a pair's call.
    ///   - waiting: What the wait reports: status changes, and pairs it fails.
    public func run(
        shouldStop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (PairOutcome) -> Void = { _ in },
        retrying: @escaping @Sendable (PairAddress, RetryNotice) -> Void = { _, _ in },
        waiting: @escaping @Sendable (StatusWaiter.Event) -> Void = { _ in }
    ) async -> ApplyReport {
        var state = self.state
        state.cloud = cloud
        let writer = StateWriter(store: StateStore(path: statePath), state: state, stateFileExists: stateFileExists)
        do {
            // Moves first, journalled like any change: a crash after this leaves the state renamed.
            for (old, new) in moves {
                try await writer.put(old, nil)
                try await writer.put(new, self.state.pairs[new])
            }
            _ = try await live.persist(onto: self.state, writer: writer)
        } catch {
            return ApplyReport(outcomes: [], interrupted: false, seconds: 0, stateError: error)
        }
        let executor = Executor(
            client: client, desired: desired, psks: psks, writer: writer,
            options: Executor.Options(parallelism: parallelism), live: live.read.view, replacePSK: replacePSK)
        var report = await executor.run(plan, shouldStop: shouldStop, progress: progress, retrying: retrying)
        if let wait, !report.interrupted {
            report = await StatusWaiter(client: client, options: wait).settle(report, events: waiting)
        }
        return report
    }

    /// Stops the emulator and releases the state lock. Call once, when done with the session.
    public func close() {
        server?.stop()
        lock.release()
    }
}

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
/// Stages to extend: a check that needs the API (reading gateways or connections before creating)
/// belongs between ``open(_:)`` and the executor, in ``run(shouldStop:progress:)``, using ``client``;
/// a wait for the created connections belongs after the executor there.
public final class ApplySession: Sendable {
    /// The plan being applied.
    public let plan: Plan
    /// The plan's entries that make calls: creates and recovers.
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
    /// The client of the API; `nil` when there is nothing to create.
    public let client: VPNClient?

    let desired: DesiredState
    let state: StateFile
    let stateFileExists: Bool
    let psks: [PairAddress: Secret]
    let parallelism: Int
    let lock: StateLock
    let server: EmulatorServer?

    init(inputs: Inputs, target: Target?, lock: StateLock) {
        plan = inputs.plan
        work = inputs.work
        warnings = inputs.warnings
        desiredPath = inputs.desiredPath
        statePath = inputs.statePath
        appliesSavedPlan = inputs.savedPlan != nil
        desired = inputs.desired
        state = inputs.state
        stateFileExists = inputs.stateFileExists
        parallelism = inputs.parallelism
        throwawayKeys = target?.throwawayKeys ?? []
        emulatorURL = target?.server?.baseURL
        client = target?.client
        psks = target?.psks ?? [:]
        server = target?.server
        self.lock = lock
    }

    /// Runs every pre-flight check and opens the session, holding the state lock.
    /// - Throws: The first ``ApplyFailure``; nothing was sent and nothing on disk changed.
    public static func open(_ request: ApplyRequest) throws(ApplyFailure) -> ApplySession {
        let source = try Inputs.Source(request)
        let lock: StateLock
        do {
            lock = try StateLock.acquire(statePath: source.statePath, command: "apply", timeout: request.lockTimeout)
        } catch {
            throw .state(error)
        }
        do {
            let inputs = try Inputs(source, request: request)
            let target = inputs.work.isEmpty ? nil : try Target(inputs, request: request)
            return ApplySession(inputs: inputs, target: target, lock: lock)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Applies the plan's creates and recovers; the state is written as it goes.
    /// - Parameters:
    ///   - shouldStop: Polled before each pair starts; once true, no new pair starts.
    ///   - progress: Called once per finished pair, in completion order.
    public func run(
        shouldStop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (PairOutcome) -> Void = { _ in }
    ) async -> ApplyReport {
        guard let client else {
            return ApplyReport(outcomes: [], interrupted: false, seconds: 0, stateError: nil)
        }
        let writer = StateWriter(store: StateStore(path: statePath), state: state, stateFileExists: stateFileExists)
        let executor = Executor(
            client: client, desired: desired, psks: psks, writer: writer,
            options: Executor.Options(parallelism: parallelism))
        return await executor.run(plan, shouldStop: shouldStop, progress: progress)
    }

    /// Stops the emulator and releases the state lock. Call once, when done with the session.
    public func close() {
        server?.stop()
        lock.release()
    }
}

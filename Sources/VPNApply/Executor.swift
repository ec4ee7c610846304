import Foundation
import Synchronization
import VPNAPI
import VPNForm

/// Carries out the create and recover entries of a plan through batch-create, with the state as a
/// journal: a pair is recorded `pending` (with the names of its connections) before its call and
/// `created` (with the returned ids) after. Whatever fails, no returned id is lost and no pair is
/// created twice: a lost answer, a server error or an interrupted earlier run is resolved by
/// listing the gateway's connections and adopting those with the expected names.
///
/// Given a ``LiveView`` (what `apply` read before it started), every pair is adopted before it is
/// created: connections that already carry the pair's names on its gateway are recorded, not
/// created again, so exactly-once does not depend on the state file or its journal surviving. A
/// connection whose name exists on the gateway on another IP is never created a second time.
public struct Executor: Sendable {
    /// How the executor runs.
    public struct Options: Sendable {
        /// Calls in flight at most.
        public var parallelism: Int
        /// Create attempts per pair when each attempt's outcome turns out to be "nothing was created".
        public var maxCreateAttempts: Int

        public init(parallelism: Int = 4, maxCreateAttempts: Int = 3) {
            self.parallelism = max(1, parallelism)
            self.maxCreateAttempts = max(1, maxCreateAttempts)
        }
    }

    let client: VPNClient
    let desired: DesiredState
    let psks: [PairAddress: Secret]
    let writer: StateWriter
    let options: Options
    let live: LiveView?
    /// Pairs whose key is sent in their update although its reference is unchanged (`--replace-psk`).
    let replacePSK: Set<PairAddress>

    /// Creates an executor.
    /// - Parameters:
    ///   - psks: The resolved pre-shared key of every pair to create.
    ///   - live: The connections of the gateways concerned, read before the run: each pair's first
    ///     look for existing connections uses it instead of a list call. `nil` lists per pair.
    ///   - replacePSK: Pairs whose update sends the key even though its reference is unchanged.
    public init(client: VPNClient, desired: DesiredState, psks: [PairAddress: Secret], writer: StateWriter, options: Options,
                live: LiveView? = nil, replacePSK: Set<PairAddress> = []) {
        self.replacePSK = replacePSK
        self.client = client
        self.desired = desired
        self.psks = psks
        self.writer = writer
        self.options = options
        self.live = live
    }

    /// Runs the plan's entries that make calls.
    /// - Parameters:
    ///   - plan: The plan (no-ops are skipped).
    ///   - shouldStop: Polled before each pair starts; once true, no new pair starts.
    ///   - progress: Called once per finished pair, in completion order.
    ///   - retrying: Called before every wait for a further attempt of a pair's call.
    ///
    /// Once the API refuses the credentials (401 or 403), no further pair starts: they are reported
    /// skipped, and ``ApplyReport/stoppedBy`` holds the answer.
    public func run(_ plan: Plan, shouldStop: @escaping @Sendable () -> Bool = { false },
                    progress: @escaping @Sendable (PairOutcome) -> Void = { _ in },
                    retrying: @escaping @Sendable (PairAddress, RetryNotice) -> Void = { _, _ in }
    ) async -> ApplyReport {
        let started = Date()
        let work = plan.entries.filter(\.makesCalls)
        let index = Dictionary(desired.gateways.flatMap { g in g.connections.map { (g.address(of: $0), (g, $0)) } },
                               uniquingKeysWith: { a, _ in a })
        let next = Locked(0)
        let results = Locked<[PairOutcome]>([])
        let stopped = Locked(false)
        let settling = Locked<[Task<Void, Never>]>([])
        func claim() -> Int? {
            next.withLock { n in
                guard n < work.count else { return nil }
                defer { n += 1 }
                return n
            }
        }
        // A worker claims its next pair early only while every other worker still finds work: near
        // the end, a pair held back for one busy worker would leave another idle.
        let workers = min(options.parallelism, max(work.count, 1))
        func claimAhead() -> Int? {
            next.withLock { n in
                guard work.count - n >= workers else { return nil }
                defer { n += 1 }
                return n
            }
        }
        func report(_ outcome: PairOutcome) {
            results.withLock { $0.append(outcome) }
            progress(outcome)
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    // The next pair, claimed early so that its journal entry is written while this
                    // pair's call is in flight.
                    var ahead: (Int, Prepared?)?
                    while case let (i, prepared)? = ahead ?? claim().map({ ($0, nil) }) {
                        ahead = nil
                        let entry = work[i]
                        let rejected = client.credentialsGate.rejected != nil
                        if rejected || shouldStop() {
                            if !rejected { stopped.withLock { $0 = true } }
                            if let prepared { await unjournal(entry, prepared.journalled) }
                            report(PairOutcome(address: entry.address, result: .skipped, connections: [], seconds: 0))
                            continue
                        }
                        if let j = claimAhead() {
                            ahead = (j, prepare(work[j], model: index[work[j].address], stopping: shouldStop))
                        }
                        let pairClient = client.reportingRetries { retrying(entry.address, $0) }
                        let worker = Executor(client: pairClient, desired: desired, psks: psks, writer: writer,
                                              options: options, live: live)
                        let finished = await worker.process(entry, model: index[entry.address], prepared: prepared)
                        if let recording = finished.recording {
                            // The next pair starts while this one's record is written; its outcome
                            // counts once the record is on disk.
                            let task = Task { report(await finished.settled(recording)) }
                            settling.withLock { $0.append(task) }
                        } else {
                            report(finished.outcome)
                        }
                    }
                }
            }
        }
        for task in settling.withLock({ $0 }) { await task.value }
        var stateError: StateError?
        do { try await writer.finish() } catch { stateError = error }
        return ApplyReport(outcomes: results.withLock { $0 }, interrupted: stopped.withLock { $0 },
                           seconds: Date().timeIntervalSince(started), stateError: stateError,
                           stoppedBy: client.credentialsGate.rejected)
    }

    /// A pair's outcome, which holds once its `recording` (the state write of its result, if
    /// any) is on disk.
    struct Finished: Sendable {
        var outcome: PairOutcome
        var recording: Task<String?, Never>?

        /// The outcome once the record is written: a failed write makes it a failure naming the ids.
        func settled(_ recording: Task<String?, Never>) async -> PairOutcome {
            guard let failure = await recording.value else { return outcome }
            return PairOutcome(address: outcome.address, result: .failed(PairFailure(failure)), connections: [],
                               seconds: outcome.seconds)
        }
    }

    /// A pair to create, made ready while the call before it is in flight.
    struct Prepared: Sendable {
        /// Its `pending` entry being written.
        var journalled: Task<Void, any Error>
        /// Its batch-create body (every connection) being encoded.
        var body: Task<[UInt8], Never>
    }

    /// Writes the `pending` entry of a pair that is to be created, ahead of its turn, and encodes
    /// its request; `nil` for other actions and when nothing more starts. Not for `recover`: its
    /// pending entry on disk holds the names an earlier run may have created, which its look must
    /// find first.
    func prepare(_ entry: PlanEntry, model: (Gateway, Connection)?, stopping: () -> Bool) -> Prepared? {
        guard entry.action == .create, let pair = entry.desired, let psk = psks[entry.address],
              let (gateway, connection) = model, client.credentialsGate.rejected == nil, !stopping() else { return nil }
        let writer = self.writer
        return Prepared(journalled: Task { try await writer.put(entry.address, .pending(pair)) },
                        body: Task {
                            VPNClient.encode(BatchCreateRequest(gateway: gateway, connection: connection, psk: psk))
                        })
    }

    /// Puts back what the state held before an entry written ahead, for a pair that did not start.
    func unjournal(_ entry: PlanEntry, _ journalled: Task<Void, any Error>) async {
        guard (try? await journalled.value) != nil else { return }
        try? await writer.put(entry.address, entry.current)
    }

    /// One pair, from its journal entry to `created` (or a clean failure). `prepared`: its pending
    /// entry and request made ready ahead (``prepare(_:model:stopping:)``), for the first attempt.
    func process(_ entry: PlanEntry, model: (Gateway, Connection)?, prepared: Prepared? = nil) async -> Finished {
        let started = Date()
        func outcome(_ result: PairOutcome.Result, _ connections: [ConnectionRecord] = [], drift: [AttributeChange] = [])
            -> PairOutcome {
            PairOutcome(address: entry.address, result: result, connections: connections, seconds: Date().timeIntervalSince(started),
                        drift: drift)
        }
        let address = entry.address
        switch entry.action {
        case .delete: return Finished(outcome: await delete(entry, started: started))
        case .update: return Finished(outcome: await update(entry, model: model, started: started))
        default: break
        }
        var journalled = prepared?.journalled, body = prepared?.body
        // Before its own pending entry would have been written: undo the one written ahead.
        func failed(_ failure: PairFailure) async -> Finished {
            if let ahead = journalled { await unjournal(entry, ahead) }
            return Finished(outcome: outcome(.failed(failure)))
        }
        guard let (gateway, connection) = model, let pair = entry.desired else {
            return await failed(PairFailure("not in the desired file"))
        }
        guard let psk = psks[address] else { return await failed(PairFailure("no pre-shared key resolved")) }
        // Read from the pair's spec: once.
        let wanted = pair.connections
        let all = Array(wanted.indices)
        // A pending entry means an earlier attempt may have created some connections, and with a
        // live view every pair is looked for: adopt before create.
        var mustLook = entry.action == .recover || live != nil
        var useLive = live != nil
        var earlierNames = entry.current?.connections ?? []
        var adoptedDrift: [AttributeChange] = []
        let replacing = entry.action == .replace
        if replacing, let have = entry.current {
            // Delete first: the API allows no second connection of the name and tunnel addresses.
            switch await deleteConnections(address, have) {
            case .failure(let failure): return Finished(outcome: outcome(.failed(failure)))
            case .success: break
            }
            if let failure = await waitGone(have.connections.compactMap(\.id), gatewayID: have.gatewayID) {
                return Finished(outcome: outcome(.failed(failure)))
            }
            // What the live view showed is gone now; an uncertain create below still looks by listing.
            (mustLook, useLive, earlierNames) = (false, false, [])
        }
        for _ in 0..<options.maxCreateAttempts {
            var have: [ConnectionRecord] = []
            var missing = all
            if mustLook {
                let found: [LiveConnection?]
                do {
                    found = try await find(wanted, gatewayID: pair.gatewayID, alsoNamed: earlierNames,
                                           useLive: useLive)
                } catch .nameTaken(let detail) {
                    return await failed(PairFailure(detail))
                } catch {
                    return await failed(PairFailure("could not look for its connections: \(error); it stays pending and "
                        + "the next apply looks again", error: error.apiError))
                }
                earlierNames = []
                useLive = false
                have = found.compactMap { $0?.record }
                missing = all.filter { found[$0] == nil }
                adoptedDrift = have.isEmpty ? [] : Refresh.changes(pair.spec, found)
                if missing.isEmpty {
                    // The record must land after the pending entry written ahead, not race it.
                    if let ahead = journalled {
                        _ = try? await ahead.value
                        journalled = nil
                    }
                    var recorded = pair
                    recorded.spec = Refresh.spec(pair.spec, with: adoptedDrift)
                    let adopted = entry.action == .recover || live != nil
                    return Finished(outcome: outcome(adopted ? .adopted : .created, have, drift: adoptedDrift),
                                    recording: recording(address, recorded, have))
                }
            }
            // Journal first: once this returns, an interrupted run knows what to look for.
            do {
                if let ahead = journalled {
                    try await ahead.value
                } else {
                    try await writer.put(address, .pending(pair))
                }
                journalled = nil
            } catch {
                return Finished(outcome: outcome(.failed(PairFailure(
                    "could not record the pair before creating it: \(error); nothing was sent"))))
            }
            let encoded = missing == all ? await body?.value : nil
            body = nil
            switch await create(gateway, connection, psk, indices: missing == all ? nil : missing, encoded: encoded) {
            case .created(let made):
                let records = mergeInOrder(wanted, have + made)
                var recorded = pair
                recorded.spec = Refresh.spec(pair.spec, with: adoptedDrift)
                let result: PairOutcome.Result = have.isEmpty
                    ? (replacing ? .replaced : .created) : .completed(adopted: have.count, created: made.count)
                return Finished(outcome: outcome(result, records, drift: adoptedDrift),
                                recording: recording(address, recorded, records))
            case .refused(let error) where have.isEmpty:
                // The API refused it and nothing exists: drop the journal entry.
                try? await writer.put(address, nil)
                return Finished(outcome: outcome(.failed(PairFailure(error.description, error: error))))
            case .refused(let error):
                let failure = PairFailure("found \(have.count) of its connections but could not create the rest: "
                    + "\(error); it stays pending", error: error)
                return Finished(outcome: outcome(.failed(failure)))
            case .uncertain:
                mustLook = true
            }
        }
        let failure = PairFailure("no attempt ended with a clear answer; it stays pending and the next apply looks "
            + "for its connections")
        return Finished(outcome: outcome(.failed(failure)))
    }

    enum CreateResult {
        case created([ConnectionRecord])
        case refused(VPNAPIError)
        case uncertain
    }

    /// `encoded`: the request's body, encoded ahead.
    func create(_ gateway: Gateway, _ connection: Connection, _ psk: Secret, indices: [Int]?,
                encoded: [UInt8]? = nil) async -> CreateResult {
        let request = BatchCreateRequest(gateway: gateway, connection: connection, psk: psk, indices: indices)
        do {
            let response = try await client.batchCreate(request, encoded: encoded)
            let records = response.vpnConnections.map {
                ConnectionRecord(id: ConnectionID($0.id), name: $0.name ?? "", vgwIP: $0.vgwIP ?? "", createdAt: $0.createdAt)
            }
            return .created(records)
        } catch {
            switch error {
            case .api(let body) where body.status < 500:
                return .refused(error)
            case .notSent, .credentialsRejected:
                // Nothing was sent, or IAM refused it before the VPN service saw it.
                return .refused(error)
            default:
                // 5xx, lost answer, unreadable answer: the connections may exist.
                return .uncertain
            }
        }
    }

    /// Why a look for a pair's connections failed.
    enum LookError: Error, CustomStringConvertible {
        case api(VPNAPIError)
        /// A connection with one of the pair's names exists on the gateway, on another IP.
        case nameTaken(String)

        var description: String {
            switch self {
            case .api(let error): return error.description
            case .nameTaken(let detail): return detail
            }
        }

        var apiError: VPNAPIError? { if case .api(let e) = self { return e } else { return nil } }
    }

    /// Looks up the gateway's connections by name and IP, in the order of `expected`: from the live
    /// view when `useLive` and it covers the gateway, else by listing the gateway.
    func find(_ expected: [ConnectionRecord], gatewayID: GatewayID, alsoNamed other: [ConnectionRecord] = [],
              useLive: Bool) async throws(LookError) -> [LiveConnection?] {
        let existing: [LiveConnection]
        if useLive, let live, live.gateways.contains(gatewayID) {
            existing = live.connections(on: gatewayID)
        } else {
            do {
                existing = try await client.listConnections(vgwID: gatewayID.rawValue).map(LiveConnection.init)
            } catch {
                throw .api(error)
            }
        }
        var found: [LiveConnection?] = []
        for (i, want) in expected.enumerated() {
            let names = [want.name] + (i < other.count ? [other[i].name] : [])
            // A connection on its way out keeps its name for a while: it is not the pair's.
            let named = existing.filter { names.contains($0.name) && $0.status != "PENDING_DELETE" }
            if let elsewhere = named.first(where: { $0.vgwIP != want.vgwIP }), !named.contains(where: { $0.vgwIP == want.vgwIP }) {
                throw .nameTaken("a connection named \"\(elsewhere.name)\" (\(elsewhere.id)) already exists on gateway \(gatewayID) "
                    + "on \(elsewhere.vgwIP), not on \(want.vgwIP); vpnform never creates a second connection of that name")
            }
            found.append(named.filter { $0.vgwIP == want.vgwIP }.min { ($0.createdAt ?? "") < ($1.createdAt ?? "") })
        }
        return found
    }

    /// Records the pair as created; returns a failure message when the state could not be written.
    func record(_ address: PairAddress, _ pair: DesiredPair, _ records: [ConnectionRecord]) async -> String? {
        do {
            try await writer.put(address, .created(pair, connections: records))
            return nil
        } catch {
            return Self.unrecorded(records, error)
        }
    }

    /// Starts recording the pair as created, without waiting: the task ends with a failure message
    /// when the state could not be written. A run cut short before it is on disk leaves the pair
    /// pending, and the next apply adopts its connections by name.
    func recording(_ address: PairAddress, _ pair: DesiredPair, _ records: [ConnectionRecord]) -> Task<String?, Never> {
        Task { await record(address, pair, records) }
    }

    static func unrecorded(_ records: [ConnectionRecord], _ error: StateError) -> String {
        let ids = records.compactMap { $0.id?.rawValue }.joined(separator: ", ")
        return "created (ids \(ids)) but the state could not be written: \(error); the pair stays pending in the state "
            + "on disk and the next apply adopts it"
    }

    /// Records in the order of the expected connections (by IP).
    func mergeInOrder(_ expected: [ConnectionRecord], _ records: [ConnectionRecord]) -> [ConnectionRecord] {
        expected.compactMap { want in records.first { $0.vgwIP == want.vgwIP } } + records.filter { r in !expected.contains { $0.vgwIP == r.vgwIP } }
    }
}

import Foundation
import VPNAPI
import VPNForm

/// `apply --wait`: polls each new connection (show) until it leaves `PENDING_*`. `ACTIVE` and
/// `DOWN` are success (a connection is DOWN until its peer connects); `ERROR` fails its pair.
public struct StatusWaiter: Sendable {
    /// How the wait runs.
    public struct Options: Sendable {
        /// Longest wait for all connections together.
        public var timeout: Duration
        /// Pause between two rounds of polls.
        public var interval: Duration

        public init(timeout: Duration = .seconds(600), interval: Duration = .seconds(5)) {
            self.timeout = timeout
            self.interval = interval
        }
    }

    /// How one pair's wait ended.
    public struct Outcome: Sendable, Equatable {
        public var address: PairAddress
        /// The last status of each connection, in the pair's order.
        public var statuses: [String]
        /// Whether every connection settled in `ACTIVE` or `DOWN`.
        public var succeeded: Bool { statuses.allSatisfy { $0 == "ACTIVE" || $0 == "DOWN" } }
        /// Whether any connection is still pending (the timeout ran out).
        public var timedOut: Bool { statuses.contains { StatusWaiter.isPending($0) } }
    }

    let client: VPNClient
    let options: Options
    let sleep: @Sendable (Duration) async -> Void

    /// Creates a waiter; `sleep` is replaceable in tests.
    public init(client: VPNClient, options: Options = Options(),
                sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }) {
        self.client = client
        self.options = options
        self.sleep = sleep
    }

    /// What a wait reports as it goes.
    public enum Event: Sendable {
        /// A connection's status changed: pair, connection name, status.
        case status(PairAddress, String, String)
        /// A pair failed the wait (its connection ended in `ERROR`, or is still pending).
        case failed(PairOutcome)
    }

    /// Waits for the connections of every pair `report` created, and fails the pairs whose
    /// connections did not settle in `ACTIVE` or `DOWN` (their ids stay recorded in the state).
    public func settle(_ report: ApplyReport, events: @escaping @Sendable (Event) -> Void) async -> ApplyReport {
        let created = report.outcomes.filter { o in
            switch o.result {
            case .created, .completed: return true
            default: return false
            }
        }
        guard !created.isEmpty else { return report }
        let outcomes = await wait(for: created.map { ($0.address, $0.connections) }) { events(.status($0, $1, $2)) }
        var report = report
        let limit = Int(Double(options.timeout.components.seconds) + Double(options.timeout.components.attoseconds) / 1e18)
        for o in outcomes where !o.succeeded {
            guard let i = report.outcomes.firstIndex(where: { $0.address == o.address }) else { continue }
            let why = o.timedOut ? "still pending after \(limit) s" : "ended in \(o.statuses.joined(separator: ", "))"
            report.outcomes[i].result = .failed(PairFailure("created (its ids are in the state) but \(why)"))
            events(.failed(report.outcomes[i]))
        }
        return report
    }

    static func isPending(_ status: String) -> Bool { status.hasPrefix("PENDING_") || status == "UNKNOWN" }

    /// Waits for the connections of `pairs`.
    /// - Parameter progress: Called when a connection's status changes: address, connection name, status.
    public func wait(for pairs: [(PairAddress, [ConnectionRecord])],
                     progress: @escaping @Sendable (PairAddress, String, String) -> Void = { _, _, _ in }) async -> [Outcome] {
        var statuses = pairs.map { (_, connections) in connections.map { _ in "PENDING_CREATE" } }
        let started = ContinuousClock.now
        while true {
            for (p, (address, connections)) in pairs.enumerated() {
                for (c, connection) in connections.enumerated() where Self.isPending(statuses[p][c]) {
                    guard let id = connection.id else { continue }
                    let status: String
                    do {
                        status = try await client.showConnection(id: id.rawValue).status ?? "UNKNOWN"
                    } catch .api(let body) where body.status == 404 {
                        status = "DELETED"
                    } catch {
                        continue  // A failed read is tried again next round.
                    }
                    if status != statuses[p][c] { progress(address, connection.name, status) }
                    statuses[p][c] = status
                }
            }
            let pending = statuses.joined().contains { Self.isPending($0) }
            if !pending || ContinuousClock.now - started >= options.timeout { break }
            await sleep(options.interval)
        }
        return zip(pairs, statuses).map { Outcome(address: $0.0.0, statuses: $0.1) }
    }
}

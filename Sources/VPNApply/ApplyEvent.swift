import VPNAPI
import VPNForm

/// What happened to one pair during an apply.
public struct PairOutcome: Sendable, Equatable {
    /// How it ended.
    public enum Result: Sendable, Equatable {
        /// Its connections were created (and, after a lost answer, found again).
        case created
        /// An interrupted earlier attempt was found and adopted: nothing new was created.
        case adopted
        /// Some connections were found and adopted, the missing ones created.
        case completed(adopted: Int, created: Int)
        /// Updated in place: one PUT per connection (and the tag API for tags).
        case updated
        /// Its connections were deleted, then created again.
        case replaced
        /// Its connections were deleted (`found` of them still existed) and it left the state.
        case deleted(found: Int)
        /// Not created; the state holds no trace of it.
        case failed(PairFailure)
        /// Not attempted: the run was interrupted first.
        case skipped
    }

    public var address: PairAddress
    public var result: Result
    /// Connections the pair has now (with ids).
    public var connections: [ConnectionRecord]
    /// Seconds spent on the pair.
    public var seconds: Double
    /// For connections adopted rather than created: attributes whose live value differs from the
    /// desired one (old = desired, new = live). The state records the live values, so the next
    /// plan shows the difference.
    public var drift: [AttributeChange]

    public init(address: PairAddress, result: Result, connections: [ConnectionRecord], seconds: Double,
                drift: [AttributeChange] = []) {
        self.address = address
        self.result = result
        self.connections = connections
        self.seconds = seconds
        self.drift = drift
    }

    public var succeeded: Bool {
        switch result {
        case .created, .adopted, .completed, .updated, .replaced, .deleted: return true
        case .failed, .skipped: return false
        }
    }

    /// `hq/shanghai created: 2 connections in 0.41 s`.
    public var summary: String {
        let time = String(format: "%.2f s", seconds)
        let n = connections.count
        let differs = drift.isEmpty ? "" : "; differs from the file in \(drift.map(\.attribute).joined(separator: ", ")) "
            + "(recorded as found: the next plan shows the change)"
        switch result {
        case .created: return "\(address) created: \(n) connection\(n == 1 ? "" : "s") in \(time)"
        case .adopted: return "\(address) adopted \(n) existing connection\(n == 1 ? "" : "s"), created none, in \(time)\(differs)"
        case let .completed(adopted, created): return "\(address) completed: adopted \(adopted), created \(created) in \(time)\(differs)"
        case .updated: return "\(address) updated in place: \(n) connection\(n == 1 ? "" : "s") in \(time)"
        case .replaced: return "\(address) replaced: deleted and created \(n) connection\(n == 1 ? "" : "s") in \(time)"
        case .deleted(let found): return "\(address) deleted: \(found) connection\(found == 1 ? "" : "s") in \(time)"
        case .failed(let reason): return "\(address) failed: \(reason)"
        case .skipped: return "\(address) skipped: the apply was interrupted"
        }
    }
}

/// The outcome of a whole apply.
public struct ApplyReport: Sendable {
    public var outcomes: [PairOutcome]
    /// Whether the run stopped early (SIGINT/SIGTERM).
    public var interrupted: Bool
    public var seconds: Double
    /// Set when the final write of the state failed: the journal beside it still holds every
    /// change, and the next command that reads the state replays it.
    public var stateError: StateError?
    /// The 401 or 403 that stopped the run: pairs not yet started were skipped.
    public var stoppedBy: APIErrorBody?

    public var succeeded: Int { outcomes.filter(\.succeeded).count }
    public var failed: Int { outcomes.filter { if case .failed = $0.result { return true } else { return false } }.count }
    public var skipped: Int { outcomes.filter { $0.result == .skipped }.count }
}

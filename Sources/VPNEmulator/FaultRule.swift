/// A fault the emulator injects: `OPERATION:KIND:RATE`, e.g. `batch-create:429:0.2`.
public struct FaultRule: Sendable, Equatable, CustomStringConvertible {
    /// The operations faults apply to.
    public enum Operation: String, Sendable, CaseIterable {
        case batchCreate = "batch-create", list, show, delete, update
        case tags
        case showGateway = "show-gateway", listGateways = "list-gateways"
    }

    /// What happens.
    public enum Kind: Sendable, Equatable {
        /// An error status without doing anything: 401 (as the API gateway answers a bad signature),
        /// 403 (as the VPN service answers a user without the permission), 429 (with `Retry-After`),
        /// 500, 502, 503, 504.
        case status(Int)
        /// The connections are created, then the connection is closed without an answer: the
        /// client cannot know whether its request took effect.
        case dropAfterCommit
        /// The connection is closed without an answer and nothing is done.
        case dropBeforeCommit
        /// Batch-create only: the connections are created and the answer is 201, but they settle in
        /// status `ERROR` instead of `DOWN`.
        case errorStatus
    }

    public var operation: Operation
    public var kind: Kind
    /// Probability per request, 0…1.
    public var rate: Double

    public init(operation: Operation, kind: Kind, rate: Double) {
        self.operation = operation
        self.kind = kind
        self.rate = rate
    }

    /// Parses `OPERATION:KIND:RATE`; `nil` with a reason in `error` when malformed.
    public static func parse(_ text: String) -> Result<FaultRule, FaultParseError> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return .failure(FaultParseError("expected OPERATION:KIND:RATE, got \"\(text)\"")) }
        guard let op = Operation(rawValue: parts[0]) else {
            return .failure(FaultParseError("unknown operation \"\(parts[0])\"; expected one of \(Operation.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let kind: Kind
        switch parts[1] {
        case "drop-after-commit": kind = .dropAfterCommit
        case "drop", "drop-before-commit": kind = .dropBeforeCommit
        case "error-status" where op == .batchCreate: kind = .errorStatus
        case "error-status": return .failure(FaultParseError("fault kind error-status applies to batch-create only"))
        case "400", "401", "403", "429", "500", "502", "503", "504": kind = .status(Int(parts[1])!)
        default:
            let known = "400, 401, 403, 429, 500, 502, 503, 504, drop, drop-after-commit or error-status"
            return .failure(FaultParseError("unknown fault kind \"\(parts[1])\"; expected \(known)"))
        }
        guard let rate = Double(parts[2]), (0...1).contains(rate) else {
            return .failure(FaultParseError("rate must be a number from 0 to 1, got \"\(parts[2])\""))
        }
        return .success(FaultRule(operation: op, kind: kind, rate: rate))
    }

    public var description: String {
        let k: String
        switch kind {
        case .status(let s): k = String(s)
        case .dropAfterCommit: k = "drop-after-commit"
        case .dropBeforeCommit: k = "drop"
        case .errorStatus: k = "error-status"
        }
        return "\(operation.rawValue):\(k):\(rate)"
    }
}

/// Why a fault specification could not be read.
public struct FaultParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

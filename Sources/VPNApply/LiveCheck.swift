import VPNAPI
import VPNForm

/// What `apply` (and `plan --refresh`) do before anything is written: read every gateway of the
/// desired file and the state with their connections, check the gateways against the file, and
/// refresh the state with what the API holds. A 401/403 on any of these reads stops the run before
/// the first create: they double as the credential check.
public struct LiveCheck: Sendable {
    /// What was read.
    public var read: LiveReader.Result
    /// The state brought up to date with the live view, and the drift.
    public var refresh: Refresh
    /// The refreshed plan.
    public var plan: Plan
    /// Gateway findings that do not stop the run (a gateway that is not ACTIVE where nothing is created).
    public var warnings: [Diagnostic]

    /// Why the check stopped the run.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A read failed (the first failure; a 401/403 is the credentials).
        case api(VPNAPIError)
        /// Gateway checks found errors, located in the desired file.
        case gateways([Diagnostic])

        public var description: String {
            switch self {
            case .api(let e):
                let hint = [401, 403].contains(e.status ?? 0) ? " (check the credentials and their permissions)" : ""
                return "could not read the live API: \(e)\(hint); nothing was sent that changes anything"
            case .gateways(let d):
                return "\(d.count) gateway check\(d.count == 1 ? "" : "s") failed; nothing was sent that changes anything"
            }
        }
    }

    /// Reads, checks and refreshes.
    /// - Parameters:
    ///   - file: The desired file's name, for located findings.
    ///   - checkGateways: Whether gateway findings stop the run (`apply`; `plan --refresh` too).
    public static func run(client: VPNClient, desired: DesiredState, state: StateFile, file: String, parallelism: Int = 4)
        async throws(Failure) -> LiveCheck {
        var ids = desired.gateways.map(\.id.value)
        ids += state.pairs.values.map(\.gatewayID)
        let read: LiveReader.Result
        do {
            read = try await LiveReader(client: client, parallelism: parallelism).read(ids)
        } catch {
            throw .api(error)
        }
        let (moved, moves) = state.applying(desired.moved)
        let refresh = Refresh(state: moved, live: read.view, desired: desired)
        var plan = Planner.plan(desired: desired, refresh: refresh)
        plan.moved = moves.map { Move(from: $0.from.rawValue, to: $0.to.rawValue) }
        let findings = GatewayChecks.check(desired, against: read, creating: GatewayChecks.creations(plan, live: read.view), file: file)
        if findings.hasErrors { throw .gateways(findings) }
        return LiveCheck(read: read, refresh: refresh, plan: plan, warnings: findings)
    }

    /// Writes what the refresh changed into the state (through `writer`, journal first): pairs
    /// whose connections are all gone leave it, partly gone ones become pending, changed ones get
    /// the live values. Returns how many pairs were written.
    public func persist(onto state: StateFile, writer: StateWriter) async throws(StateError) -> Int {
        var written = 0
        let addresses = Set(state.pairs.keys).union(refresh.state.pairs.keys).sorted { $0.rawValue < $1.rawValue }
        for address in addresses where state.pairs[address] != refresh.state.pairs[address] {
            try await writer.put(address, refresh.state.pairs[address])
            written += 1
        }
        return written
    }
}

extension VPNAPIError {
    /// The HTTP status of an API answer.
    public var status: Int? {
        switch self {
        case .api(let b), .credentialsRejected(let b): return b.status
        default: return nil
        }
    }
}

import VPNForm
import VPNAPI

/// What one `vpnform apply` was asked to do: the inputs of an ``ApplySession``.
public struct ApplyRequest: Sendable {
    /// Where the desired state comes from.
    public enum Source: Sendable, Equatable {
        /// A desired-state file, planned now.
        case desiredFile(String)
        /// A plan saved by `plan --out`, applied exactly as saved.
        case savedPlan(String)
    }

    /// The desired file or the saved plan.
    public var source: Source
    /// `--state`: the state file, when not the default.
    public var statePath: String?
    /// `--endpoint`: the API base URL, when not the file's or the region's.
    public var endpoint: String?
    /// `--emulator`: run against an in-process emulator, never touching the real state.
    public var emulator: Bool
    /// Batch-create calls in flight at most.
    public var parallelism: Int
    /// `--lock-timeout`, in seconds.
    public var lockTimeout: Double
    /// The process environment (credentials, project id, pre-shared keys). Empty values count as unset.
    public var environment: [String: String]
    /// The HTTP transport; `nil` for the live one.
    public var transport: (any HTTPTransport)?
    /// Receives the `--debug` HTTP trace (already redacted); `nil` for none.
    public var trace: (@Sendable (String) -> Void)?
    /// `--ca-bundle`: a PEM file of CA certificates to trust (else `SSL_CERT_FILE`, else the system's).
    public var caBundle: String?
    /// `--wait`: after creating, poll each new connection until it leaves `PENDING_*`; `nil` not to wait.
    public var wait: StatusWaiter.Options?
    /// `--target`, `--create-only`, `--allow-mass-change`, `--replace-psk`.
    public var policy = PlanPolicy()

    /// Creates a request.
    public init(
        source: Source, statePath: String? = nil, endpoint: String? = nil, emulator: Bool = false,
        parallelism: Int = 4, lockTimeout: Double = 0, environment: [String: String],
        transport: (any HTTPTransport)? = nil, trace: (@Sendable (String) -> Void)? = nil, wait: StatusWaiter.Options? = nil,
        caBundle: String? = nil
    ) {
        self.wait = wait
        self.caBundle = caBundle
        self.source = source
        self.statePath = statePath
        self.endpoint = endpoint
        self.emulator = emulator
        self.parallelism = parallelism
        self.lockTimeout = lockTimeout
        self.environment = environment.filter { !$0.value.isEmpty }
        self.transport = transport
        self.trace = trace
    }
}

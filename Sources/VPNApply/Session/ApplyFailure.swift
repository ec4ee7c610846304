import VPNAPI
import VPNForm

/// Why an apply stopped before its first API call. Nothing was sent and the state is unchanged.
///
/// Cases carry data; the CLI's printer words them. None carries a secret: pre-shared keys and
/// credentials appear only as the names of the environment variables that hold them.
public enum ApplyFailure: Error, Equatable, Sendable {
    /// The saved plan cannot be read.
    case planUnreadable(SavedPlan.ReadError)
    /// The desired file cannot be read.
    case desiredUnreadable(DesiredStateFileError)
    /// The desired file has errors (the diagnostics include its warnings).
    case invalidDesired(path: String, diagnostics: [Diagnostic])
    /// The state or its lock: locked, unreadable, malformed, not writable.
    case state(StateError)
    /// A saved plan's desired file changed since the plan was saved.
    case desiredChanged(path: String)
    /// A saved plan's state file changed since the plan was saved.
    case stateChanged(path: String)
    /// The state has another lineage than the one the plan was made for.
    case lineageMismatch(path: String, planned: String, found: String)
    /// The saved plan is not what its desired file and state produce (edited by hand?).
    case planEdited(path: String)
    /// The saved plan was made against another state than the one this run would write
    /// (`apply PLANFILE --emulator` with a plan of the real state).
    case planForOtherState(desired: String, planned: String, state: String)
    /// Environment variables named as pre-shared keys that are unset or empty.
    case missingKeys(names: [String])
    /// Environment variables whose pre-shared key breaks the API's rules (the problem, never the key).
    case invalidKeys([InvalidKey])
    /// No AK/SK in the environment.
    case noCredentials
    /// No project id in the file or the environment.
    case noProjectID(desiredPath: String)
    /// The project id from the environment is not 32 hex digits.
    case invalidProjectID(variable: String, value: String)
    /// The endpoint cannot be used.
    case invalidEndpoint(String, problem: String)
    /// Neither an endpoint nor a region to derive one from.
    case noEndpoint(desiredPath: String)
    /// The in-process emulator could not start.
    case emulatorFailed(String)
    /// The HTTP transport could not be set up (an unreadable CA bundle, libcurl failing to start).
    case transportFailed(String)
    /// The state records pairs of another project or region than the desired file targets.
    case otherCloud(statePath: String, recorded: CloudTarget, target: CloudTarget)
    /// Reading the live API failed (a 401/403 is the credentials): nothing that changes anything was sent.
    case liveRead(VPNAPIError)
    /// Gateway checks failed, located in the desired file.
    case gatewayChecks([Diagnostic])
    /// A plan saved with `--refresh` no longer matches what the live API shows.
    case liveChangedSincePlan(path: String)
    /// A plan saved offline would not do what it says: the live API differs from the state.
    case driftSinceOfflinePlan(path: String, drift: [Drift])
    /// Guards refuse the plan: a mass change, an empty desired file, `prevent_destroy`.
    case guarded([GuardViolation])
    /// `--target` names no pair of the plan.
    case unknownTargets([String])

    /// A pre-shared key from the environment that the API would refuse.
    public struct InvalidKey: Equatable, Sendable {
        /// The environment variable.
        public var variable: String
        /// What is wrong (never the key).
        public var problem: String

        /// A refused key: the variable and the rule it breaks.
        public init(variable: String, problem: String) {
            self.variable = variable
            self.problem = problem
        }
    }
}

import VPNApply
import VPNAPI
import VPNForm

/// How each library error is shown: the library gives the data and the sentence, the printer the
/// layout and the next step, with the user's own `-f`/`--state`.
extension Printer {
    func print(_ error: StateError) { print(problem(error)) }
    func print(_ error: DesiredStateFileError) { print(Problem(file: error.file, message: error.message)) }
    func print(_ error: SavedPlan.ReadError) {
        print(Problem(file: error.file, mark: error.mark, message: error.message))
    }

    func problem(_ error: StateError) -> Problem {
        var problem = Problem(file: error.file, mark: error.mark, message: error.message)
        switch error {
        case .locked(_, let holder, let waited):
            problem.hints =
                holder.isStale
                ? ["if no apply is in progress, remove the lock with \(command("force-unlock"))"]
                : [
                    waited > 0
                        ? "retry later, or wait longer with --lock-timeout"
                        : "retry later, or wait with --lock-timeout (e.g. 30s)"
                ]
        case .unreadableLock:
            problem.hints = ["if no run is in progress, remove it with \(command("force-unlock"))"]
        default:
            break
        }
        return problem
    }

    /// Prints why an apply stopped before its first call; each says that nothing was sent.
    func print(_ failure: ApplyFailure) {
        let replan = "run \(command("plan --out PLANFILE")) again"
        let nothingSent = "nothing was sent"
        switch failure {
        case .planUnreadable(let e): print(e)
        case .desiredUnreadable(let e): print(e)
        case .invalidDesired(let path, let diagnostics):
            self.diagnostics(diagnostics)
            let errors = diagnostics.filter { $0.severity == .error }.count
            print(
                Problem(
                    severity: .summary, file: path, message: "\(errors) error\(errors == 1 ? "" : "s"); \(nothingSent)")
            )
        case .state(let e): print(problem(e))
        case .desiredChanged(let path):
            print(Problem(file: path, message: "changed since the plan was saved; \(nothingSent)", hints: [replan]))
        case .stateChanged(let path):
            print(Problem(file: path, message: "changed since the plan was saved; \(nothingSent)", hints: [replan]))
        case let .lineageMismatch(path, planned, found):
            print(
                Problem(
                    file: path,
                    message: "the plan was made for state lineage \(planned), but this state has lineage \(found); "
                        + nothingSent, hints: [replan]))
        case .planEdited(let path):
            print(
                Problem(
                    message: "the plan file does not match what \(path) and its state produce (edited by hand?); "
                        + nothingSent,
                    hints: [replan]))
        case let .planForOtherState(desired, planned, state):
            print(
                Problem(
                    message:
                        "the plan was made against \(planned), but an --emulator run uses \(state) and never touches "
                        + "\(planned); \(nothingSent)",
                    hints: [
                        "make a plan for the emulator with "
                            + "`vpnform plan -f \(Self.quoted(desired)) --state \(Self.quoted(state)) --out PLANFILE`, "
                            + "or apply this plan without --emulator"
                    ]))
        case .missingKeys(let names):
            print(
                Problem(
                    message: "pre-shared keys missing from the environment: \(names.joined(separator: ", ")); "
                        + nothingSent,
                    hints: ["set them, or run \(command("plan --check-env")) to list every variable apply needs"]))
        case .invalidKeys(let keys):
            for key in keys {
                print(Problem(message: "\(key.variable): \(key.problem); \(nothingSent)"))
            }
        case .noCredentials:
            print(
                Problem(
                    message: "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK "
                        + "(or HW_ACCESS_KEY and HW_SECRET_KEY); \(nothingSent)"))
        case .noProjectID(let path):
            print(
                Problem(
                    message: "no project id: set project_id in \(path) or HUAWEICLOUD_SDK_PROJECT_ID; \(nothingSent)"))
        case let .invalidProjectID(variable, value):
            print(
                Problem(
                    message:
                        "\(variable): expected a project id of 32 hexadecimal characters, got \"\(Self.clip(value))\"; "
                        + nothingSent))
        case let .invalidEndpoint(text, problem):
            print(Problem(message: "invalid endpoint \"\(Self.clip(text))\": \(problem); \(nothingSent)"))
        case .noEndpoint(let path):
            print(Problem(message: "no endpoint: set region or endpoint in \(path), or --endpoint; \(nothingSent)"))
        case .emulatorFailed(let reason):
            print(Problem(message: "could not start the emulator: \(reason); \(nothingSent)"))
        case .transportFailed(let why):
            print(Problem(message: "\(why); \(nothingSent)"))
        case let .otherCloud(statePath, recorded, target):
            print(Problem(file: statePath, message: "records pairs of \(recorded), but the desired file targets \(target); "
                          + nothingSent, hints: ["use the state of that project and region (--state)"]))
        case .liveRead(let error):
            print(liveRead(error))
        case .gatewayChecks(let findings):
            diagnostics(findings)
            let n = findings.filter { $0.severity == .error }.count
            print(Problem(message: "\(n) gateway check\(n == 1 ? "" : "s") failed; nothing was sent that changes anything"))
        case .liveChangedSincePlan(let path):
            print(Problem(file: path, message: "the live API changed since the plan was saved; \(nothingSent)",
                          hints: ["run \(command("plan --refresh --out PLANFILE")) again"]))
        case let .driftSinceOfflinePlan(path, drift):
            console.err(DriftRenderer().render(drift))
            print(Problem(file: path, message: "the live API differs from the state, so this plan would not do what it says; "
                          + nothingSent, hints: ["review it with \(command("plan --refresh --out PLANFILE")) and apply that plan"]))
        case .guarded(let violations):
            for v in violations { print(Problem(message: v.description)) }
        case .unknownTargets(let targets):
            let named = targets.joined(separator: ", ")
            print(Problem(message: "--target \(named): no such pair or gateway in the plan; \(nothingSent)"))
        }
    }

    /// A failed read of the live API; a 401/403 points at the credentials.
    func liveRead(_ error: VPNAPIError) -> Problem {
        let denied = [401, 403].contains(error.status ?? 0)
        return Problem(message: "could not read the live API: \(error); nothing was sent that changes anything",
                       hints: denied ? ["check the credentials and their permissions (vpn:vpnGateways:get, vpn:vpnConnections:list)"] : [])
    }

    static func clip(_ s: String) -> String { s.count > 60 ? s.prefix(57) + "..." : s }
}

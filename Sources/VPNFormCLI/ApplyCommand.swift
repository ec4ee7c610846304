import Foundation
import VPNAPI
import VPNApply
import VPNCrypto
import VPNEmulator
import VPNForm

enum ApplyCommand {
    static let usage = "vpnform apply [-f FILE | PLANFILE] [--state PATH] [--endpoint URL] [--auto-approve] [--parallelism N] [--emulator] [--lock-timeout DURATION] [--ca-bundle FILE] [--quiet | --json] [--debug]"

    static let spec = CommandSpec(
        name: "apply",
        summary: "Create every missing pair through batch-create and record the returned ids in the state.",
        usage: usage,
        options: [
            CommandSupport.fileOption, CommandSupport.stateOption,
            OptionSpec(["--endpoint"], value: "URL", help: "API endpoint (default: the file's endpoint, else https://vpn.REGION.myhuaweicloud.com)."),
            OptionSpec(["--auto-approve"], help: "Apply without asking for `yes`."),
            OptionSpec(["--parallelism"], value: "N", help: "Batch-create calls in flight at most (default 4)."),
            OptionSpec(["--emulator"], help: "Run against the built-in API emulator on a free loopback port (no cloud account)."),
            CommandSupport.lockTimeoutOption,
            OptionSpec(["--ca-bundle"], value: "FILE",
                       help: "Trust the CA certificates in this PEM file (default: SSL_CERT_FILE, else the system's)."),
            OptionSpec(["--quiet"], help: "Print only errors and the closing summary."),
            OptionSpec(["--json"], help: "Progress and summary as JSON lines on standard output."),
            OptionSpec(["--debug"], help: "Trace every HTTP request and answer on standard error (secrets redacted)."),
        ],
        maxPositionals: 1,
        details: """
        Credentials: HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (HUAWEICLOUD_SDK_SECURITY_TOKEN), or HW_ACCESS_KEY /
        HW_SECRET_KEY; project: the file's project_id or HUAWEICLOUD_SDK_PROJECT_ID. TLS peers are always verified;
        HTTPS_PROXY and NO_PROXY are honoured. Pre-shared keys ${NAME} are read
        from the environment; a missing one stops the apply before any call.
        With --emulator and no --state, the state is FILE.emulator.state.json, never the real state file, and
        missing pre-shared keys get throwaway values.
        Exit status: 0 applied, 1 nothing applied (or an error before any call), 3 partial (the state holds every
        pair that succeeded), 130 interrupted, 64 usage error.
        """
    ) { args, console in
        await ApplyRun(args: args, console: console).run()
    }
}

/// One `vpnform apply`.
struct ApplyRun {
    let args: ParsedArguments
    let console: Console

    func fail(_ message: String, _ code: Int32 = ExitCode.failure) -> Int32 {
        console.err("error: \(message)\n")
        return code
    }

    func run() async -> Int32 {
        if args.flag("--quiet"), args.flag("--json") { return fail("--quiet and --json exclude each other", ExitCode.usage) }
        let parallelism = Int(args.value("--parallelism") ?? "4") ?? 0
        guard (1...256).contains(parallelism) else { return fail("--parallelism must be a whole number from 1 to 256", ExitCode.usage) }
        let timeout: Double
        do { timeout = try CommandSupport.duration(args.value("--lock-timeout") ?? "0s") } catch { return fail("\(error)", ExitCode.usage) }

        // Inputs: a saved plan names its files and their digests; otherwise -f.
        var savedPlan: SavedPlan?
        if let planPath = args.positionals.first {
            if args.value("--file") != nil { return fail("give either -f FILE or a PLANFILE, not both", ExitCode.usage) }
            do { savedPlan = try SavedPlan.read(planPath) } catch { return fail("\(error)") }
        }
        let emulator = args.flag("--emulator")
        let desiredPath = savedPlan?.desiredPath ?? CommandSupport.desiredPath(args)
        let statePath = args.value("--state") ?? savedPlan?.statePath
            ?? (emulator ? StateStore.defaultPath(forDesired: desiredPath).replacingOccurrences(of: ".state.json", with: ".emulator.state.json")
                         : StateStore.defaultPath(forDesired: desiredPath))
        guard let (desired, desiredFile) = CommandSupport.loadDesired(desiredPath, console: console) else { return ExitCode.failure }
        let desiredSHA = desiredFile.sha256
        if let savedPlan, savedPlan.desiredSHA256 != desiredSHA {
            return fail("\(desiredPath) changed since the plan was saved; run `vpnform plan --out` again")
        }

        let lock: StateLock
        do { lock = try StateLock.acquire(statePath: statePath, command: "apply", timeout: timeout) } catch { return fail("\(error)".replacingOccurrences(of: ": error: ", with: ": ")) }
        defer { lock.release() }
        // Until the first call, an interrupt (say, at the approval prompt) exits at once, releasing the lock.
        let interrupt = InterruptHandler(console: console, immediate: true)
        defer { interrupt.disarm() }
        var state: StateFile
        do {
            let loaded = try StateStore(path: statePath).load()
            state = loaded.state
            if let savedPlan {
                let sha = loaded.bytes.map { SHA256.hex($0) }
                guard sha == savedPlan.stateSHA256 else { return fail("\(statePath) changed since the plan was saved; run `vpnform plan --out` again") }
                if loaded.bytes == nil { state.lineage = savedPlan.lineage }
                guard state.lineage == savedPlan.lineage else { return fail("the plan was made for state lineage \(savedPlan.lineage), but \(statePath) has lineage \(state.lineage)") }
            }
        } catch {
            return fail("\(error)".replacingOccurrences(of: ": error: ", with: ": "))
        }

        do { try StateStore(path: statePath).checkWritable() } catch { return fail("\(error)".replacingOccurrences(of: ": error: ", with: ": ")) }
        let plan = Planner.plan(desired: desired, state: state)
        if let savedPlan {
            let recomputed = PlanDocument(plan: plan, desiredPath: savedPlan.desiredPath, desiredSHA256: desiredSHA, statePath: savedPlan.statePath,
                                          stateSHA256: savedPlan.stateSHA256, lineage: state.lineage)
            guard savedPlan.matches(recomputed) else {
                return fail("the plan file does not match what its desired file and state produce (edited by hand?); run `vpnform plan --out` again")
            }
        }
        let json = args.flag("--json"), quiet = args.flag("--quiet")
        let work = plan.entries.filter { $0.action == .create || $0.action == .recover }
        // Load every secret before printing anything, so the canary knows them all.
        var environment = console.environment
        _ = Credentials.fromEnvironment(environment)
        let resolution = PSKResolver.resolve(work: work, desired: desired, environment: environment, throwaway: emulator)
        if !json && !quiet {
            let color = TextPlanRenderer.wantsColor(isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            console.out(TextPlanRenderer(color: color).render(plan))
        }
        for e in plan.entries where e.action == .change {
            console.err("warning: \(e.address) differs from the state (\(e.changes.map(\.attribute).joined(separator: ", "))); vpnform creates missing pairs only and does not update existing connections\n")
        }
        guard !work.isEmpty else {
            if !quiet && !json { console.out("\nNothing to create.\n") }
            if json { console.out(ApplyOutput.summaryJSON(created: 0, failed: 0, skipped: 0, seconds: 0, interrupted: false)) }
            return ExitCode.success
        }

        if savedPlan == nil && !args.flag("--auto-approve") {
            guard isatty(STDIN_FILENO) == 1 else {
                return fail("refusing to apply without --auto-approve: standard input is not a terminal to answer `yes`")
            }
            console.out("\nDo you want to perform these actions? Only 'yes' will be accepted: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                console.out("Apply cancelled.\n")
                return ExitCode.failure
            }
        }

        // Everything needed before the first call: PSKs, credentials, endpoint, project.
        var server: EmulatorServer?
        defer { server?.stop() }
        if emulator {
            let (ak, sk) = EmulatorConfiguration.randomCredentials()
            do {
                server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk)))
            } catch { return fail("could not start the emulator: \(error)") }
            environment["HUAWEICLOUD_SDK_AK"] = ak
            environment["HUAWEICLOUD_SDK_SK"] = sk.revealed
            environment.removeValue(forKey: "HUAWEICLOUD_SDK_SECURITY_TOKEN")
            if !quiet && !json { console.err("emulator: listening on \(server!.baseURL.absoluteString) with throwaway credentials\n") }
        }
        let psks: [PairAddress: Secret]
        switch resolution {
        case .failure(let missing):
            return fail("pre-shared keys missing from the environment: \(missing.names.joined(separator: ", ")); nothing was sent")
        case .success(let (resolved, generated)):
            psks = resolved
            if !generated.isEmpty, !quiet, !json {
                console.err("emulator: \(generated.joined(separator: ", ")) not set; using throwaway keys\n")
            }
        }
        guard let credentials = Credentials.fromEnvironment(environment) else {
            return fail("no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HW_ACCESS_KEY and HW_SECRET_KEY); nothing was sent")
        }
        guard let projectID = desired.projectID?.value ?? environment["HUAWEICLOUD_SDK_PROJECT_ID"] ?? environment["HW_PROJECT_ID"] else {
            return fail("no project id: set project_id in \(desiredPath) or HUAWEICLOUD_SDK_PROJECT_ID; nothing was sent")
        }
        let endpoint: URL
        if let text = server?.baseURL.absoluteString ?? args.value("--endpoint") ?? desired.endpoint?.value {
            guard let url = URL(string: text), url.host != nil else { return fail("invalid endpoint \"\(text)\"") }
            endpoint = url
        } else if let region = desired.region?.value {
            endpoint = ClientConfiguration.endpoint(forRegion: region)
        } else {
            return fail("no endpoint: set region or endpoint in \(desiredPath), or --endpoint")
        }
        var trace: (@Sendable (String) -> Void)?
        if args.flag("--debug") { trace = { console.err($0) } }
        let settings = TransportConfiguration.fromEnvironment(console.environment, caBundle: args.value("--ca-bundle"))
        if let bundle = settings.caBundle, !FileManager.default.isReadableFile(atPath: bundle) {
            return fail("the CA bundle \(bundle) cannot be read; nothing was sent")
        }
        let client: VPNClient
        do {
            let transport = try CurlTransport(configuration: settings)
            client = try VPNClient(
                configuration: ClientConfiguration(endpoint: endpoint, projectID: projectID, credentials: credentials),
                transport: transport,
                environment: VPNClient.Environment(trace: trace))
        } catch {
            return fail("\(error)")
        }

        interrupt.beginGracefulPhase()
        let writer = StateWriter(store: StateStore(path: statePath), state: state,
                                 stateFileExists: FileManager.default.fileExists(atPath: statePath))
        let executor = Executor(client: client, desired: desired, psks: psks, writer: writer, options: Executor.Options(parallelism: parallelism))
        let output = ApplyOutput(console: console, total: work.count, json: json, quiet: quiet)
        if !quiet && !json { console.err("\n") }
        let report = await executor.run(plan, shouldStop: { interrupt.requested }, progress: { output.finished($0) },
                                        retrying: { output.retrying($0, $1) })
        output.close(report, statePath: statePath)
        if let stateError = report.stateError {
            // The journal beside the state still holds every change; the next reader replays it.
            console.err("error: \(stateError)\n")
            return ExitCode.failure
        }
        if report.interrupted { return ExitCode.interrupted }
        if report.failed == 0 && report.skipped == 0 { return ExitCode.success }
        return report.succeeded > 0 ? ExitCode.partialApply : ExitCode.failure
    }
}

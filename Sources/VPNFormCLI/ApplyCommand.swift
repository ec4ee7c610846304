import Foundation
import VPNAPI
import VPNApply
import VPNCrypto
import VPNEmulator
import VPNForm

enum ApplyCommand {
    static let usage = "vpnform apply [-f FILE | PLANFILE] [--state PATH] [--endpoint URL] [--auto-approve] [--parallelism N] [--emulator] [--lock-timeout DURATION] [--quiet | --json] [--debug] [--wait[=DURATION]]"

    static let spec = CommandSpec(
        name: "apply",
        summary: "Read the live API, adopt what exists, create every missing pair and record the ids in the state.",
        usage: usage,
        options: [
            CommandSupport.fileOption, CommandSupport.stateOption,
            OptionSpec(["--endpoint"], value: "URL", help: "API endpoint (default: the file's endpoint, else https://vpn.REGION.myhuaweicloud.com)."),
            OptionSpec(["--auto-approve"], help: "Apply without asking for `yes`."),
            OptionSpec(["--parallelism"], value: "N", help: "Batch-create calls in flight at most (default 4)."),
            OptionSpec(["--emulator"], help: "Run against the built-in API emulator on a free loopback port (no cloud account)."),
            CommandSupport.lockTimeoutOption,
            OptionSpec(["--quiet"], help: "Print only errors and the closing summary."),
            OptionSpec(["--json"], help: "Progress and summary as JSON lines on standard output."),
            OptionSpec(["--debug"], help: "Trace every HTTP request and answer on standard error (secrets redacted)."),
            OptionSpec(["--wait"], optionalValue: "DURATION",
                       help: "After creating, wait until each new connection leaves PENDING_* (default 10m)."),
        ],
        maxPositionals: 1,
        details: """
        Credentials: HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (HUAWEICLOUD_SDK_SECURITY_TOKEN), or HW_ACCESS_KEY /
        HW_SECRET_KEY; project: the file's project_id or HUAWEICLOUD_SDK_PROJECT_ID. Pre-shared keys ${NAME} are read
        from the environment; a missing one stops the apply before any call.
        With --emulator and no --state, the state is FILE.emulator.state.json, never the real state file, and
        missing pre-shared keys get throwaway values.
        Before anything is sent, apply reads every gateway of the file and the state and their connections: the
        gateway checks (exists, ACTIVE, ips, free quota, ha_role, enterprise-router rules) must pass, connections that
        already carry a pair's names are adopted instead of created, and what changed outside vpnform is shown and
        recorded. A state that records another project or region is refused.
        With --wait, each new connection is polled until it is ACTIVE or DOWN (ERROR fails its pair).
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
            let loaded = try StateStore(path: statePath).loadFolded()
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
        let offlinePlan = Planner.plan(desired: desired, state: state)
        if let savedPlan, !savedPlan.refreshed {
            let recomputed = PlanDocument(plan: offlinePlan, desiredPath: savedPlan.desiredPath, desiredSHA256: desiredSHA, statePath: savedPlan.statePath,
                                          stateSHA256: savedPlan.stateSHA256, lineage: state.lineage)
            guard savedPlan.matches(recomputed) else {
                return fail("the plan file does not match what its desired file and state produce (edited by hand?); run `vpnform plan --out` again")
            }
        }
        let json = args.flag("--json"), quiet = args.flag("--quiet")
        let waitTimeout: Double?
        do { waitTimeout = try args.value("--wait").map { try $0.isEmpty ? 600 : CommandSupport.duration($0) } } catch {
            return fail("--wait: \(error)", ExitCode.usage)
        }
        var environment = console.environment
        // Fail before any call on what the state alone already shows: missing keys, no terminal.
        let mustAsk = savedPlan == nil && !args.flag("--auto-approve")
        if mustAsk && isatty(STDIN_FILENO) != 1 {
            return fail("refusing to apply without --auto-approve: standard input is not a terminal to answer `yes`")
        }
        let offlineWork = offlinePlan.entries.filter { $0.action == .create || $0.action == .recover }
        if case .failure(let missing) = PSKResolver.resolve(work: offlineWork, desired: desired, environment: environment,
                                                            throwaway: emulator) {
            return fail("pre-shared keys missing from the environment: \(missing.names.joined(separator: ", ")); nothing was sent")
        }

        // The client: credentials, project, endpoint (the emulator's, with --emulator).
        var server: EmulatorServer?
        defer { server?.stop() }
        if emulator {
            let (ak, sk) = EmulatorConfiguration.randomCredentials()
            do {
                var configuration = EmulatorConfiguration(accessKey: ak, secretKey: sk)
                configuration.gateways = EmulatorGatewaySeed.gateways(in: [desired])
                server = try EmulatorServer(emulator: VPNEmulator(configuration: configuration))
            } catch { return fail("could not start the emulator: \(error)") }
            environment["HUAWEICLOUD_SDK_AK"] = ak
            environment["HUAWEICLOUD_SDK_SK"] = sk.revealed
            environment.removeValue(forKey: "HUAWEICLOUD_SDK_SECURITY_TOKEN")
            if !quiet && !json { console.err("emulator: listening on \(server!.baseURL.absoluteString) with throwaway credentials\n") }
        }
        var trace: (@Sendable (String) -> Void)?
        if args.flag("--debug") { trace = { console.err($0) } }
        let setup: ClientSetup
        switch ClientSetup.make(desired: desired, desiredPath: desiredPath, endpointOption: args.value("--endpoint"),
                                environment: environment, trace: trace, emulator: server?.baseURL) {
        case .success(let s): setup = s
        case .failure(let error): return fail("\(error); nothing was sent")
        }
        if let recorded = state.cloud, !recorded.matches(setup.target) {
            return fail("\(statePath) records pairs of \(recorded), but \(desiredPath) targets \(setup.target); "
                        + "use the state of that project and region (--state), nothing was sent")
        }

        // Read the live API before writing anything: gateways, their connections, the checks.
        if !quiet && !json { console.err("Reading the live API…\n") }
        let live: LiveCheck
        do {
            live = try await LiveCheck.run(client: setup.client, desired: desired, state: state, file: desiredPath,
                                           parallelism: parallelism)
        } catch .gateways(let findings) {
            console.err(DiagnosticFormat.text.render(findings))
            return fail(LiveCheck.Failure.gateways(findings).description)
        } catch {
            return fail(error.description)
        }
        console.err(DiagnosticFormat.text.render(live.warnings))
        let plan = live.plan
        if let savedPlan {
            if savedPlan.refreshed {
                var document = PlanDocument(plan: plan, desiredPath: savedPlan.desiredPath, desiredSHA256: desiredSHA,
                                            statePath: savedPlan.statePath, stateSHA256: savedPlan.stateSHA256, lineage: state.lineage)
                document.withLiveStatus = false
                guard savedPlan.matches(document) else {
                    return fail("the live API changed since the plan was saved; run `vpnform plan --refresh --out` again")
                }
            } else if !plan.drift.isEmpty && plan.entries.map(\.action) != offlinePlan.entries.map(\.action) {
                console.err(DriftRenderer().render(plan.drift))
                return fail("the live API differs from the state, so this plan would not do what it says; "
                            + "review it with `vpnform plan --refresh --out` and apply that plan")
            }
        }
        let work = plan.entries.filter { $0.action == .create || $0.action == .recover }
        // Load every secret before printing anything, so the canary knows them all.
        let resolution = PSKResolver.resolve(work: work, desired: desired, environment: environment, throwaway: emulator)
        if !json && !quiet {
            let color = TextPlanRenderer.wantsColor(isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            var renderer = TextPlanRenderer(color: color)
            renderer.drift = DriftRenderer(importCommand: CommandSupport.importCommand(desiredPath: desiredPath, statePath: statePath))
            console.out(renderer.render(plan))
        }
        for e in plan.entries where e.action == .change {
            console.err("warning: \(e.address) differs from the state (\(e.changes.map(\.attribute).joined(separator: ", "))); vpnform creates missing pairs only and does not update existing connections\n")
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
        let refreshChanges = live.refresh.state != state
        if !work.isEmpty && mustAsk {
            console.out("\nDo you want to perform these actions? Only 'yes' will be accepted: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                console.out("Apply cancelled.\n")
                return ExitCode.failure
            }
        }

        interrupt.beginGracefulPhase()
        state.cloud = setup.target
        let writer = StateWriter(store: StateStore(path: statePath), state: state,
                                 stateFileExists: FileManager.default.fileExists(atPath: statePath))
        if refreshChanges {
            do {
                let n = try await live.persist(onto: state, writer: writer)
                if !quiet && !json { console.err("Recorded \(n) pair\(n == 1 ? "" : "s") as the live API shows them.\n") }
            } catch {
                return fail("\(error)")
            }
        }
        guard !work.isEmpty else {
            do { try await writer.finish() } catch { return fail("\(error)") }
            if !quiet && !json { console.out("\nNothing to create.\n") }
            if json { console.out(ApplyOutput.summaryJSON(created: 0, failed: 0, skipped: 0, seconds: 0, interrupted: false)) }
            return ExitCode.success
        }
        let executor = Executor(client: setup.client, desired: desired, psks: psks, writer: writer,
                                options: Executor.Options(parallelism: parallelism), live: live.read.view)
        let output = ApplyOutput(console: console, total: work.count, json: json, quiet: quiet)
        if !quiet && !json { console.err("\n") }
        var report = await executor.run(plan, shouldStop: { interrupt.requested }, progress: { output.finished($0) })
        if let waitTimeout, !report.interrupted {
            report = await ApplyWait.run(report, client: setup.client, timeout: waitTimeout, output: output,
                                         interval: Double(environment["VPNFORM_WAIT_INTERVAL"] ?? "") ?? 5)
        }
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

import Foundation
import VPNApply
import VPNCrypto
import VPNForm

enum PlanCommand {
    static let usage = "vpnform plan [FILE | -f FILE] [--state PATH] [--refresh[=BOOL]] [--endpoint URL] [--out PLANFILE] "
        + "[--json | --markdown] [--detailed-exitcode] [--check-env] [--lock-timeout DURATION] [--debug] "
        + "[--target ADDRESS]... [--create-only] [--allow-mass-change] [--replace-psk ADDRESS]..."

    static let spec = CommandSpec(
        name: "plan",
        summary: "Show what apply would change: the desired file against the state file.",
        usage: usage,
        options: [
            CommandSupport.fileOption, CommandSupport.stateOption,
            OptionSpec(["--out"], value: "PLANFILE", help: "Also save the plan (JSON, no secrets) for `vpnform apply PLANFILE`."),
            OptionSpec(["--json"], help: "Print the plan as JSON (schemas/plan.schema.json)."),
            OptionSpec(["--markdown"], help: "Print the plan as Markdown for a pull-request comment."),
            OptionSpec(["--detailed-exitcode"], help: "Exit 0 when nothing changes, 2 when something does, 1 on error."),
            OptionSpec(["--check-env"], help: "Instead of the plan, list the variables an apply of it reads; exit 1 if one is unset."),
            OptionSpec(["--refresh"], optionalValue: "BOOL",
                       help: "Read the live API too: drift, unmanaged connections, gateway checks (default false)."),
            OptionSpec(["--endpoint"], value: "URL", help: "API endpoint for --refresh (default: the file's endpoint or region)."),
            CommandSupport.lockTimeoutOption,
            OptionSpec(["--debug"], help: "With --refresh, trace every HTTP request on standard error (secrets redacted)."),
        ] + CommandSupport.policyOptions,
        maxPositionals: 1,
        positionalFile: .always,
        details: """
        Entries: + create (desired, not in state), ~ update in place (each changed attribute old -> new), -/+ replace
        (an attribute the API cannot change in place, named; the tunnel goes down), ! recover (left pending by an
        interrupted apply), - delete (in state, not desired), and unchanged pairs. A plan the guards refuse (mass
        change, empty file, prevent_destroy) is printed, then reported as errors (exit 1).
        Colour only on a terminal, never with NO_COLOR set.
        With --refresh it also reads every gateway of the file and the state and their connections (credentials as
        for apply) and shows, in a section of its own, what changed outside vpnform: connections deleted (planned
        for creation again), attributes changed (state -> live), connections apply would adopt, and connections no
        pair claims (with the `vpnform import` command for them); gateway checks are errors located in the file.
        A state that records another project or region than the file's is an error.
        """
    ) { args, console in
        let printer = Printer(console: console, arguments: args)
        if args.flag("--json"), args.flag("--markdown") {
            printer.usage(UsageError("--json and --markdown exclude each other"), usage: usage, command: "plan")
            return ExitCode.usage
        }
        let timeout: Double
        let policy: PlanPolicy
        do throws(UsageError) {
            timeout = try CommandSupport.duration(args.value("--lock-timeout") ?? "0s")
            policy = try CommandSupport.policy(args)
            if args.value("--out") != nil, !policy.targets.isEmpty || policy.createOnly {
                // apply PLANFILE recomputes the whole plan: a narrowed one would never match it.
                throw UsageError("--out saves a whole plan; give --target and --create-only to apply instead")
            }
        } catch {
            printer.usage(error, usage: usage, command: "plan")
            return ExitCode.usage
        }
        let refresh: Bool
        switch args.value("--refresh") {
        case nil, "false"?: refresh = false
        case ""?, "true"?: refresh = true
        case let other?:
            printer.usage(UsageError("--refresh takes true or false, not \"\(other)\""), usage: usage, command: "plan")
            return ExitCode.usage
        }
        let desiredPath = CommandSupport.desiredPath(args)
        let statePath = CommandSupport.statePath(args)
        // The state file's bytes are hashed for a saved or JSON plan only; otherwise they are never
        // held: the file is mapped and its pages let go as they are read.
        let keepBytes = args.flag("--json") || args.value("--out") != nil
        // The state is read (under its lock) on a second thread while the desired file is checked.
        // The desired file's bytes are let go once parsed, unless a saved or JSON plan needs their
        // hash: held through the plan, a large file's bytes would be as much memory as the plan.
        let (desiredLoad, stateRead) = concurrently({
            CommandSupport.loadDesired(desiredPath, printer: printer, keepingBytes: keepBytes)
                .map { ($0.state, $0.loaded.sha256 ?? "") }
        }, {
            Result { () throws(StateError) -> (state: StateFile, bytes: [UInt8]?) in
                let lock = try StateLock.acquire(statePath: statePath, command: "plan", timeout: timeout)
                defer { lock.release() }
                return try StateStore(path: statePath).loadFolded(keepingBytes: keepBytes)
            }
        })
        guard let (desired, desiredSHA256) = desiredLoad else { return ExitCode.failure }
        let loaded: (state: StateFile, bytes: [UInt8]?)
        switch stateRead {
        case .success(let read): loaded = read
        case .failure(let error):
            printer.print(error)
            return ExitCode.failure
        }
        defer { ProcessLifetime.keep((desired, loaded.state)) }
        let target = ClientSetup.target(desired: desired, environment: console.environment)
        if let recorded = loaded.state.cloud, let target, !recorded.matches(target) {
            printer.print(Problem(file: statePath, message: "records pairs of \(recorded), but \(desiredPath) targets \(target)",
                                  hints: ["plan against the state of that project and region (--state)"]))
            return ExitCode.failure
        }
        let full: Plan
        if refresh {
            let state = loaded.state
            guard let live = CommandSupport.blocking({ await refreshed(desired, desiredPath, state, args, console, printer) }) else {
                return ExitCode.failure
            }
            full = live
        } else {
            full = Planner.plan(desired: desired, state: loaded.state)
        }
        let unknown = policy.unknownTargets(in: full)
        if !unknown.isEmpty {
            printer.error("--target \(unknown.joined(separator: ", ")): no such pair or gateway in the plan")
            return ExitCode.failure
        }
        let plan = policy.scope(full)
        defer { ProcessLifetime.keep((full, plan)) }
        let violations = policy.violations(plan, desired: desired, managed: loaded.state.pairs.count)
        if args.flag("--check-env") {
            return CheckEnvOutput.print(RequiredVariable.list(for: plan, desired: desired, environment: console.environment),
                                        console: console, printer: printer)
        }
        // Hashing both files is for a saved or JSON plan only.
        let importCommand = CommandSupport.importCommand(desiredPath: desiredPath, statePath: statePath)
        var document: PlanDocument {
            var d = PlanDocument(plan: plan, desiredPath: desiredPath, desiredSHA256: desiredSHA256, statePath: statePath,
                                 stateSHA256: loaded.bytes.map { SHA256.hex($0) }, lineage: loaded.state.lineage)
            d.importCommand = importCommand
            return d
        }
        if let out = args.value("--out") {
            var saved = document
            saved.withLiveStatus = false
            do throws(StateError) {
                try StateStore.writeFile(Array(saved.rendered().utf8), to: out)
            } catch {
                let reason = if case .writeFailed(_, let reason) = error { reason } else { error.message }
                printer.print(Problem(file: out, message: "could not save the plan: \(reason)"))
                return ExitCode.failure
            }
        }
        if args.flag("--json") {
            console.out(document.rendered())
        } else if args.flag("--markdown") {
            var renderer = MarkdownPlanRenderer()
            renderer.drift = DriftRenderer(importCommand: importCommand)
            console.out(renderer.render(plan, file: desiredPath))
        } else {
            let color = TextPlanRenderer.wantsColor(isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            // Written in chunks of a few megabytes: a plan of many creates is mostly this text.
            var text = OutputBuffer(sink: console.outBytes)
            var renderer = TextPlanRenderer(color: color)
            renderer.drift = DriftRenderer(importCommand: importCommand)
            renderer.write(plan, to: &text)
            text.finish()
            if let out = args.value("--out") { console.out("\nSaved the plan to \(out); apply exactly this plan with `vpnform apply \(out)`.\n") }
        }
        for v in violations { printer.error("\(v)") }
        if !violations.isEmpty { return ExitCode.failure }
        return args.flag("--detailed-exitcode") && plan.hasChanges ? ExitCode.changesPresent : ExitCode.success
    }

    /// `plan --refresh`: the live read, gateway checks and refresh; `nil` (printed) on failure.
    static func refreshed(_ desired: DesiredState, _ desiredPath: String, _ state: StateFile, _ args: ParsedArguments,
                          _ console: Console, _ printer: Printer) async -> Plan? {
        var trace: (@Sendable (String) -> Void)?
        if args.flag("--debug") { trace = { console.err($0) } }
        let setup: ClientSetup
        switch ClientSetup.make(desired: desired, desiredPath: desiredPath, endpointOption: args.value("--endpoint"),
                                environment: console.environment, trace: trace) {
        case .success(let s): setup = s
        case .failure(let error):
            printer.error("--refresh: \(error)")
            return nil
        }
        do throws(LiveCheck.Failure) {
            let live = try await LiveCheck.run(client: setup.client, desired: desired, state: state, file: desiredPath)
            printer.diagnostics(live.warnings)
            return live.plan
        } catch {
            switch error {
            case .api(let e): printer.print(printer.liveRead(e))
            case .gateways(let findings): printer.print(ApplyFailure.gatewayChecks(findings))
            }
            return nil
        }
    }
}

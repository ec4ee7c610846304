import Foundation
import VPNCrypto
import VPNApply
import VPNForm

enum PlanCommand {
    static let usage = "vpnform plan [-f FILE] [--state PATH] [--refresh[=true|false]] [--endpoint URL] [--out PLANFILE] "
        + "[--json | --markdown] [--detailed-exitcode] [--lock-timeout DURATION] [--debug]"

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
            OptionSpec(["--refresh"], optionalValue: "BOOL",
                       help: "Read the live API too: drift, unmanaged connections, gateway checks (default false)."),
            OptionSpec(["--endpoint"], value: "URL", help: "API endpoint for --refresh (default: the file's endpoint or region)."),
            CommandSupport.lockTimeoutOption,
            OptionSpec(["--debug"], help: "With --refresh, trace every HTTP request on standard error (secrets redacted)."),
        ],
        details: """
        Entries: + create (desired, not in state), ~ change (spec differs from the state's), ! recover (left
        pending by an interrupted apply), - orphan (in state, not desired; never deleted), and unchanged pairs.
        With --refresh it also reads every gateway of the file and the state and their connections (credentials as
        for apply) and shows, in a section of its own, what changed outside vpnform: connections deleted (planned
        for creation again), attributes changed (state -> live), connections apply would adopt, and connections no
        pair claims (with the `vpnform import` command for them); gateway checks are errors located in the file.
        A state that records another project or region than the file's is an error.
        Colour only on a terminal, never with NO_COLOR set.
        """
    ) { args, console in
        if args.flag("--json"), args.flag("--markdown") {
            console.err("error: --json and --markdown exclude each other\n\nUSAGE: \(usage)\n")
            return ExitCode.usage
        }
        let timeout: Double
        do { timeout = try CommandSupport.duration(args.value("--lock-timeout") ?? "0s") } catch {
            console.err("error: \(error)\n")
            return ExitCode.usage
        }
        let refresh: Bool
        switch args.value("--refresh") {
        case nil, "false"?: refresh = false
        case ""?, "true"?: refresh = true
        case let other?:
            console.err("error: --refresh takes true or false, not \"\(other)\"\n\nUSAGE: \(usage)\n")
            return ExitCode.usage
        }
        let desiredPath = CommandSupport.desiredPath(args)
        let statePath = CommandSupport.statePath(args)
        // The state is read (under its lock) on a second thread while the desired file is checked.
        let (desiredLoad, stateRead) = concurrently({ CommandSupport.loadDesired(desiredPath, console: console) }, {
            Result { () throws(StateError) in
                let lock = try StateLock.acquire(statePath: statePath, command: "plan", timeout: timeout)
                defer { lock.release() }
                return try StateStore(path: statePath).loadFolded()
            }
        })
        guard let (desired, desiredFile) = desiredLoad else { return ExitCode.failure }
        let loaded: (state: StateFile, bytes: [UInt8]?)
        switch stateRead {
        case .success(let read): loaded = read
        case .failure(let error):
            console.err("\(error)\n")
            return ExitCode.failure
        }
        let target = ClientSetup.target(desired: desired, environment: console.environment)
        if let recorded = loaded.state.cloud, let target, !recorded.matches(target) {
            console.err("error: \(statePath) records pairs of \(recorded), but \(desiredPath) targets \(target); "
                        + "plan against the state of that project and region (--state)\n")
            return ExitCode.failure
        }
        let plan: Plan
        if refresh {
            var trace: (@Sendable (String) -> Void)?
            if args.flag("--debug") { trace = { console.err($0) } }
            let setup: ClientSetup
            switch ClientSetup.make(desired: desired, desiredPath: desiredPath, endpointOption: args.value("--endpoint"),
                                    environment: console.environment, trace: trace) {
            case .success(let s): setup = s
            case .failure(let error):
                console.err("error: --refresh: \(error)\n")
                return ExitCode.failure
            }
            do throws(LiveCheck.Failure) {
                let live = try await LiveCheck.run(client: setup.client, desired: desired, state: loaded.state, file: desiredPath)
                console.err(DiagnosticFormat.text.render(live.warnings))
                plan = live.plan
            } catch .gateways(let findings) {
                console.err(DiagnosticFormat.text.render(findings))
                console.err("error: \(LiveCheck.Failure.gateways(findings))\n")
                return ExitCode.failure
            } catch {
                console.err("error: \(error)\n")
                return ExitCode.failure
            }
        } else {
            plan = Planner.plan(desired: desired, state: loaded.state)
        }
        // Hashing both files is for a saved or JSON plan only.
        let importCommand = CommandSupport.importCommand(desiredPath: desiredPath, statePath: statePath)
        var document: PlanDocument {
            var d = PlanDocument(plan: plan, desiredPath: desiredPath, desiredSHA256: desiredFile.sha256, statePath: statePath,
                                 stateSHA256: loaded.bytes.map { SHA256.hex($0) }, lineage: loaded.state.lineage)
            d.importCommand = importCommand
            return d
        }
        if let out = args.value("--out") {
            var saved = document
            saved.withLiveStatus = false
            do {
                try StateStore.writeFile(Array(saved.rendered().utf8), to: out)
            } catch {
                console.err("\(out): error: could not save the plan: \(error)\n")
                return ExitCode.failure
            }
        }
        if args.flag("--json") {
            console.out(document.rendered())
        } else if args.flag("--markdown") {
            var renderer = MarkdownPlanRenderer()
            renderer.drift = DriftRenderer(importCommand: importCommand)
            console.out(renderer.render(plan))
        } else {
            let color = TextPlanRenderer.wantsColor(isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            var renderer = TextPlanRenderer(color: color)
            renderer.drift = DriftRenderer(importCommand: importCommand)
            console.out(renderer.render(plan))
            if let out = args.value("--out") { console.out("\nSaved the plan to \(out); apply exactly this plan with `vpnform apply \(out)`.\n") }
        }
        return args.flag("--detailed-exitcode") && plan.hasChanges ? ExitCode.changesPresent : ExitCode.success
    }
}

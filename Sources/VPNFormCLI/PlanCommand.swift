import Foundation
import VPNApply
import VPNCrypto
import VPNForm

enum PlanCommand {
    static let usage = "vpnform plan [FILE | -f FILE] [--state PATH] [--out PLANFILE] [--json | --markdown] "
        + "[--detailed-exitcode] [--check-env] [--lock-timeout DURATION]"

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
            CommandSupport.lockTimeoutOption,
        ],
        maxPositionals: 1,
        positionalFile: .always,
        details: """
        Entries: + create (desired, not in state), ~ change (spec differs from the state's), ! recover (left
        pending by an interrupted apply), - orphan (in state, not desired; never deleted), and unchanged pairs.
        Colour only on a terminal, never with NO_COLOR set.
        """
    ) { args, console in
        let printer = Printer(console: console, arguments: args)
        if args.flag("--json"), args.flag("--markdown") {
            printer.usage(UsageError("--json and --markdown exclude each other"), usage: usage, command: "plan")
            return ExitCode.usage
        }
        let timeout: Double
        do throws(UsageError) { timeout = try CommandSupport.duration(args.value("--lock-timeout") ?? "0s") } catch {
            printer.usage(error, usage: usage, command: "plan")
            return ExitCode.usage
        }
        let desiredPath = CommandSupport.desiredPath(args)
        let statePath = CommandSupport.statePath(args)
        // The state is read (under its lock) on a second thread while the desired file is checked.
        let (desiredLoad, stateRead) = concurrently({ CommandSupport.loadDesired(desiredPath, printer: printer) }, {
            Result { () throws(StateError) in
                let lock = try StateLock.acquire(statePath: statePath, command: "plan", timeout: timeout)
                defer { lock.release() }
                return try StateStore(path: statePath).load()
            }
        })
        guard let (desired, desiredFile) = desiredLoad else { return ExitCode.failure }
        let loaded: (state: StateFile, bytes: [UInt8]?)
        switch stateRead {
        case .success(let read): loaded = read
        case .failure(let error):
            printer.print(error)
            return ExitCode.failure
        }
        let plan = Planner.plan(desired: desired, state: loaded.state)
        if args.flag("--check-env") {
            return CheckEnvOutput.print(RequiredVariable.list(for: plan, desired: desired, environment: console.environment),
                                        console: console, printer: printer)
        }
        // Hashing both files is for a saved or JSON plan only.
        var document: PlanDocument {
            PlanDocument(plan: plan, desiredPath: desiredPath, desiredSHA256: desiredFile.sha256, statePath: statePath,
                         stateSHA256: loaded.bytes.map { SHA256.hex($0) }, lineage: loaded.state.lineage)
        }
        if let out = args.value("--out") {
            do throws(StateError) {
                try StateStore.writeFile(Array(document.rendered().utf8), to: out)
            } catch {
                let reason = if case .writeFailed(_, let reason) = error { reason } else { error.message }
                printer.print(Problem(file: out, message: "could not save the plan: \(reason)"))
                return ExitCode.failure
            }
        }
        if args.flag("--json") {
            console.out(document.rendered())
        } else if args.flag("--markdown") {
            console.out(MarkdownPlanRenderer().render(plan, file: desiredPath))
        } else {
            let color = TextPlanRenderer.wantsColor(isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            console.out(TextPlanRenderer(color: color).render(plan))
            if let out = args.value("--out") { console.out("\nSaved the plan to \(out); apply exactly this plan with `vpnform apply \(out)`.\n") }
        }
        return args.flag("--detailed-exitcode") && plan.hasChanges ? ExitCode.changesPresent : ExitCode.success
    }
}

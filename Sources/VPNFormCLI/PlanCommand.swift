import Foundation
import VPNCrypto
import VPNForm

enum PlanCommand {
    static let usage = "vpnform plan [-f FILE] [--state PATH] [--out PLANFILE] [--json | --markdown] [--detailed-exitcode] [--lock-timeout DURATION]"

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
            CommandSupport.lockTimeoutOption,
        ],
        details: """
        Entries: + create (desired, not in state), ~ change (spec differs from the state's), ! recover (left
        pending by an interrupted apply), - orphan (in state, not desired; never deleted), and unchanged pairs.
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
        let desiredPath = CommandSupport.desiredPath(args)
        let statePath = CommandSupport.statePath(args)
        // The state file's bytes are hashed for a saved or JSON plan only; otherwise they are let go
        // once read, not held through planning and printing.
        let keepBytes = args.flag("--json") || args.value("--out") != nil
        // The state is read (under its lock) on a second thread while the desired file is checked.
        let (desiredLoad, stateRead) = concurrently({ CommandSupport.loadDesired(desiredPath, console: console) }, {
            Result { () throws(StateError) -> (state: StateFile, bytes: [UInt8]?) in
                let lock = try StateLock.acquire(statePath: statePath, command: "plan", timeout: timeout)
                defer { lock.release() }
                let (state, bytes) = try StateStore(path: statePath).load()
                return (state, keepBytes ? bytes : nil)
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
        let plan = Planner.plan(desired: desired, state: loaded.state)
        // Hashing both files is for a saved or JSON plan only.
        var document: PlanDocument {
            PlanDocument(plan: plan, desiredPath: desiredPath, desiredSHA256: desiredFile.sha256, statePath: statePath,
                         stateSHA256: loaded.bytes.map { SHA256.hex($0) }, lineage: loaded.state.lineage)
        }
        if let out = args.value("--out") {
            do {
                try StateStore.writeFile(Array(document.rendered().utf8), to: out)
            } catch {
                console.err("\(out): error: could not save the plan: \(error)\n")
                return ExitCode.failure
            }
        }
        if args.flag("--json") {
            console.out(document.rendered())
        } else if args.flag("--markdown") {
            console.out(MarkdownPlanRenderer().render(plan))
        } else {
            let color = TextPlanRenderer.wantsColor(isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            // Written in chunks of a few megabytes: a plan of many creates is mostly this text.
            var text = OutputBuffer { console.out(String(decoding: $0, as: UTF8.self)) }
            TextPlanRenderer(color: color).write(plan, to: &text)
            text.finish()
            if let out = args.value("--out") { console.out("\nSaved the plan to \(out); apply exactly this plan with `vpnform apply \(out)`.\n") }
        }
        return args.flag("--detailed-exitcode") && plan.hasChanges ? ExitCode.changesPresent : ExitCode.success
    }
}

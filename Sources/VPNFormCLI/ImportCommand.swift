import Foundation
import VPNAPI
import VPNApply
import VPNForm
import VPNValues

enum ImportCommand {
    static let usage = "vpnform import --gateway GATEWAY_ID [--gateway …] [--out FILE] [-f FILE] [--state PATH] "
        + "[--project-id ID] [--region REGION | --endpoint URL] [--lock-timeout DURATION] [--debug]"

    static let spec = CommandSpec(
        name: "import",
        summary: "Adopt connections made outside vpnform: record them in the state and write their desired state.",
        usage: usage,
        options: [
            OptionSpec(["--gateway"], value: "GATEWAY_ID", repeatable: true, help: "A gateway (vgw_id) whose connections to import."),
            OptionSpec(["--out"], value: "FILE", help: "Write a new desired-state file (default: print the gateway blocks)."),
            CommandSupport.fileOption, CommandSupport.stateOption,
            OptionSpec(["--project-id"], value: "ID", help: "Project (default: FILE's project_id or HUAWEICLOUD_SDK_PROJECT_ID)."),
            OptionSpec(["--region"], value: "REGION", help: "Region (default: FILE's region)."),
            OptionSpec(["--endpoint"], value: "URL", help: "API endpoint (default: FILE's endpoint, else derived from the region)."),
            CommandSupport.lockTimeoutOption,
            OptionSpec(["--debug"], help: "Trace every HTTP request on standard error (secrets redacted)."),
        ],
        details: """
        Reads each gateway and its connections, groups them into pairs (same customer gateway and spec, one on each
        gateway IP; on a one-IP gateway each connection is a pair) and records them in the state as created. With
        --out it writes a new desired-state file naming the project and region or endpoint it read from; without it
        prints the `gateways:` items to paste into FILE. Every field is explicit; pre-shared keys, which the API never
        returns, become ${PSK_GATEWAY_CONNECTION} placeholders. Right after an import, `vpnform plan` shows no change.
        Connections already in the state at the same address are left as they are; one recorded under another
        address is refused, and so is an address the state holds with other connections. Nothing is written on error.
        The state is FILE's (-f), else --out's, with the extension replaced by .state.json, unless --state names it.
        """
    ) { args, console in
        await ImportRun(args: args, console: console).run()
    }
}

/// One `vpnform import`.
struct ImportRun {
    let args: ParsedArguments
    let console: Console

    var printer: Printer { Printer(console: console, arguments: args) }

    func fail(_ message: String, _ code: Int32 = ExitCode.failure) -> Int32 {
        printer.error(message)
        return code
    }

    func run() async -> Int32 {
        let gateways = args.values("--gateway")
        guard !gateways.isEmpty else { return fail("name at least one --gateway GATEWAY_ID\n\nUSAGE: \(ImportCommand.usage)", ExitCode.usage) }
        for id in gateways where !ValueRules.isUUID(id) {
            return fail("--gateway: \"\(id)\" is not a gateway id (a UUID)", ExitCode.usage)
        }
        let timeout: Double
        do { timeout = try CommandSupport.duration(args.value("--lock-timeout") ?? "0s") } catch { return fail("\(error)", ExitCode.usage) }
        let out = args.value("--out")
        if let out, FileManager.default.fileExists(atPath: out) {
            return fail("\(out) already exists; --out writes a new file (without --out the gateway blocks are printed)")
        }
        // The user's file, when there is one: its target, and its gateway names as handles.
        var desired: DesiredState?
        let file = args.value("--file") ?? (out == nil ? "vpnform.yaml" : nil)
        if let file, FileManager.default.fileExists(atPath: file) {
            guard let (state, _) = CommandSupport.loadDesired(file, printer: printer) else { return ExitCode.failure }
            desired = state
        } else if args.value("--file") != nil {
            return fail("\(file!) does not exist")
        }
        let env = console.environment
        guard let project = args.value("--project-id") ?? desired.flatMap({ ClientSetup.projectID($0, env) })
            ?? ["HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID"].lazy.compactMap({ env[$0] }).first(where: { !$0.isEmpty }) else {
            return fail("no project id: give --project-id, or set project_id in the file or HUAWEICLOUD_SDK_PROJECT_ID")
        }
        // As for plan and apply, --endpoint is only how to reach the target, unless nothing else names it.
        let region = args.value("--region") ?? desired?.region?.value
        let endpoint = desired?.endpoint?.value ?? (region == nil ? args.value("--endpoint") : nil)
        guard endpoint != nil || region != nil else { return fail("no endpoint: give --region or --endpoint") }
        let target = CloudTarget(projectID: project, region: region, endpoint: endpoint)
        var override: URL?
        if let text = args.value("--endpoint") {
            guard let url = URL(string: text), url.host != nil else { return fail("invalid endpoint \"\(text)\"") }
            override = url
        }
        let statePath = args.value("--state") ?? StateStore.defaultPath(forDesired: file ?? out!)

        var trace: (@Sendable (String) -> Void)?
        if args.flag("--debug") { trace = { console.err($0) } }
        let setup: ClientSetup
        switch ClientSetup.make(target: target, environment: env, trace: trace, override: override) {
        case .success(let s): setup = s
        case .failure(let error): return fail("\(error); nothing was read")
        }
        let lock: StateLock
        do { lock = try StateLock.acquire(statePath: statePath, command: "import", timeout: timeout) } catch {
            printer.print(error)
            return ExitCode.failure
        }
        defer { lock.release() }
        let store = StateStore(path: statePath)
        let state: StateFile
        do {
            state = try store.loadFolded().state
            try store.checkWritable()
        } catch {
            printer.print(error)
            return ExitCode.failure
        }
        if let recorded = state.cloud, !recorded.matches(target) {
            return fail("\(statePath) records pairs of \(recorded), not of \(target); nothing was imported")
        }
        let result: Importer.Result
        do {
            result = try await Importer(client: setup.client).run(
                gatewayIDs: gateways, state: state, desired: desired,
                header: CloudTarget(projectID: project, region: endpoint == nil ? region : nil, endpoint: endpoint))
        } catch {
            return fail("\(error.description); nothing was written")
        }
        for line in result.skipped { console.err("skipped \(line)\n") }
        guard !result.imported.isEmpty else {
            console.err("Nothing to import.\n")
            return ExitCode.success
        }
        var newState = result.state
        newState.cloud = state.cloud ?? target
        do {
            if let out { try StateStore.writeFile(Array(result.file.utf8), to: out) }
            try store.save(newState)
        } catch {
            printer.print(error)
            return ExitCode.failure
        }
        if out == nil {
            console.out("# Add under `gateways:` in \(file ?? "your desired-state file") (a gateway already there takes the "
                        + "`connections:` items):\n" + result.gatewayBlocks)
        }
        let n = result.imported.count
        console.err("Imported \(n) pair\(n == 1 ? "" : "s") (\(result.imported.map(\.rawValue).joined(separator: ", "))) into \(statePath)"
                    + (out.map { "; desired state written to \($0)" } ?? "") + ".\n")
        return ExitCode.success
    }
}

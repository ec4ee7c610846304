import VPNApply

/// `vpnform apply`: parses, opens an ``ApplySession`` (every pre-flight check), asks, runs, reports.
enum ApplyCommand {
    static let usage =
        "vpnform apply [FILE | -f FILE | PLANFILE] [--state PATH] [--endpoint URL] [--auto-approve] "
        + "[--parallelism N] [--emulator] [--lock-timeout DURATION] [--ca-bundle FILE] [--quiet | --json] [--debug] "
        + "[--wait[=DURATION]] [--target ADDRESS]... [--create-only] [--allow-mass-change] [--replace-psk ADDRESS]..."

    static let spec = CommandSpec(
        name: "apply",
        summary: "Read the live API, then create, update, replace and delete pairs until the cloud matches the file.",
        usage: usage,
        options: [
            CommandSupport.fileOption, CommandSupport.stateOption,
            OptionSpec(
                ["--endpoint"], value: "URL",
                help: "API endpoint (default: the file's endpoint, else https://vpn.REGION.myhuaweicloud.com)."),
            OptionSpec(["--auto-approve"], help: "Apply without asking for `yes`."),
            OptionSpec(["--parallelism"], value: "N", help: "Batch-create calls in flight at most (default 4)."),
            OptionSpec(
                ["--emulator"],
                help: "Run against the built-in API emulator on a free loopback port (no cloud account)."),
            CommandSupport.lockTimeoutOption,
            OptionSpec(["--ca-bundle"], value: "FILE",
                       help: "Trust the CA certificates in this PEM file (default: SSL_CERT_FILE, else the system's)."),
            OptionSpec(["--quiet"], help: "Print only errors and the closing summary."),
            OptionSpec(["--json"], help: "Progress and summary as JSON lines on standard output."),
            OptionSpec(["--debug"], help: "Trace every HTTP request and answer on standard error (secrets redacted)."),
            OptionSpec(["--wait"], optionalValue: "DURATION",
                       help: "After creating, wait until each new connection leaves PENDING_* (default 10m)."),
        ] + CommandSupport.policyOptions,
        maxPositionals: 1,
        positionalFile: .yamlOnly,
        details: """
            Credentials: HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (HUAWEICLOUD_SDK_SECURITY_TOKEN), or
            HW_ACCESS_KEY / HW_SECRET_KEY; project: the file's project_id or HUAWEICLOUD_SDK_PROJECT_ID. TLS peers
            are always verified; HTTPS_PROXY and NO_PROXY are honoured.
            Pre-shared keys ${NAME} are read from the environment; a missing or invalid one stops the apply
            before any call. Empty variables count as unset.
            With --emulator and no --state, the state is FILE.emulator.state.json, never the real state file,
            and missing pre-shared keys get throwaway values.
            Before anything that changes the cloud, apply reads every gateway of the file and the state and their
            connections: the gateway checks (exists, ACTIVE, ips, free quota, ha_role, enterprise-router rules) must
            pass, connections that already carry a pair's names are adopted instead of created, and what changed
            outside vpnform is shown and recorded. A state of another project or region is refused.
            Updates go through one PUT per connection (tags through the tag API); a change the API cannot make in place
            replaces the pair (delete, then create: the tunnel goes down meanwhile); a pair no longer in the file is
            deleted. Every step is journalled first, so an interrupted apply is finished by the next one.
            Guards: deleting or replacing more than 30 % of 10 or more managed pairs, or every pair because the file
            has none, needs --allow-mass-change; prevent_destroy: true refuses any delete or replace of its pairs.
            With --wait, each new connection is polled until it is ACTIVE or DOWN (ERROR fails its pair).
            Exit status: 0 applied, 1 nothing applied (or an error before any call), 3 partial (the state
            holds every pair that succeeded), 130 interrupted, 64 usage error.
            """,
        run: run
    )

    static func run(_ args: ParsedArguments, _ console: Console) async -> Int32 {
        let printer = Printer(console: console, arguments: args)
        let request: ApplyRequest
        do { request = try ApplyArguments.request(args, console: console) } catch {
            printer.usage(error, usage: usage, command: spec.name)
            return ExitCode.usage
        }
        // Until the first call, an interrupt (say, at the approval prompt) exits at once, releasing the lock.
        let interrupt = InterruptHandler(console: console, immediate: true)
        defer { interrupt.disarm() }
        let session: ApplySession
        do { session = try await ApplySession.open(request) } catch {
            printer.print(error)
            return ExitCode.failure
        }
        defer { session.close() }
        let output = ApplyOutput(console: console, printer: printer, total: session.work.count, mode: .init(args))
        output.preamble(session)
        // Nothing to do: what the refresh found is still recorded.
        guard !session.work.isEmpty else { return output.nothingToCreate(await session.run()) }
        if !session.appliesSavedPlan, !args.flag("--auto-approve") {
            if let refused = ApplyApproval.ask(console: console, printer: printer) { return refused }
        }
        interrupt.beginGracefulPhase { PendingPairs.message(statePath: session.statePath) }
        output.starting(session)
        let report = await session.run(shouldStop: { interrupt.requested }, progress: { output.finished($0) },
                                       retrying: { output.retrying($0, $1) }, waiting: { output.waiting($0) })
        return output.close(report, statePath: session.statePath)
    }
}

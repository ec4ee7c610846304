import VPNApply

/// `vpnform apply`'s command line as an ``ApplyRequest``.
enum ApplyArguments {
    /// - Throws: ``UsageError`` for options that contradict each other or values out of range.
    static func request(_ args: ParsedArguments, console: Console) throws(UsageError) -> ApplyRequest {
        if args.flag("--quiet"), args.flag("--json") { throw UsageError("--quiet and --json exclude each other") }
        let parallelism = Int(args.value("--parallelism") ?? "4") ?? 0
        guard (1...256).contains(parallelism) else {
            throw UsageError("--parallelism must be a whole number from 1 to 256")
        }
        let timeout = try CommandSupport.duration(args.value("--lock-timeout") ?? "0s")
        let source: ApplyRequest.Source
        if let plan = args.positionals.first {
            if args.value("--file") != nil { throw UsageError("give either -f FILE or a PLANFILE, not both") }
            source = .savedPlan(plan)
        } else {
            source = .desiredFile(CommandSupport.desiredPath(args))
        }
        var trace: (@Sendable (String) -> Void)?
        if args.flag("--debug") { trace = { console.err($0) } }
        var wait: StatusWaiter.Options?
        if let text = args.value("--wait") {
            let seconds = text.isEmpty ? 600 : try CommandSupport.duration(text)
            // VPNFORM_WAIT_INTERVAL shortens the pause between polls (tests against the emulator).
            let interval = Double(console.environment["VPNFORM_WAIT_INTERVAL"] ?? "") ?? 5
            wait = StatusWaiter.Options(timeout: .milliseconds(Int(seconds * 1000)), interval: .milliseconds(Int(interval * 1000)))
        }
        var request = ApplyRequest(
            source: source, statePath: args.value("--state"), endpoint: args.value("--endpoint"),
            emulator: args.flag("--emulator"), parallelism: parallelism, lockTimeout: timeout,
            environment: console.environment, trace: trace, wait: wait, caBundle: args.value("--ca-bundle"))
        request.policy = try CommandSupport.policy(args)
        if case .savedPlan = source, !request.policy.targets.isEmpty || request.policy.createOnly {
            throw UsageError("--target and --create-only go with `apply FILE`, not with a saved PLANFILE")
        }
        return request
    }
}

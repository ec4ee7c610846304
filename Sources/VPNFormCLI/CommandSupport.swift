import Foundation
import VPNForm

/// Pieces several commands share: file options, loading the desired file, the lock timeout.
enum CommandSupport {
    /// `--target`, `--create-only`, `--allow-mass-change`, `--replace-psk` (plan and apply).
    static let policyOptions = [
        OptionSpec(["--target"], value: "ADDRESS", repeatable: true,
                   help: "Only this pair (GATEWAY/CONNECTION), or every pair of a gateway (GATEWAY); repeatable."),
        OptionSpec(["--create-only"], help: "Create and recover only: no update, replace or delete."),
        OptionSpec(["--allow-mass-change"],
                   help: "Allow deleting or replacing over 30 % of 10 or more pairs, or all pairs of an empty file."),
        OptionSpec(["--replace-psk"], value: "ADDRESS", repeatable: true,
                   help: "Send this pair's pre-shared key again (a new value behind the same ${NAME}); repeatable."),
    ]

    /// The ``PlanPolicy`` of the command line.
    static func policy(_ args: ParsedArguments) throws(UsageError) -> PlanPolicy {
        let targets = args.values("--target"), rotate = args.values("--replace-psk")
        for t in targets + rotate where t.isEmpty || t.hasPrefix("/") || t.hasSuffix("/") {
            throw UsageError("\"\(t)\" is not a pair address (GATEWAY/CONNECTION) or gateway name")
        }
        var policy = PlanPolicy(targets: targets, createOnly: args.flag("--create-only"),
                                allowMassChange: args.flag("--allow-mass-change"))
        policy.replacePSK = rotate
        return policy
    }

    static let fileOption = OptionSpec(["-f", "--file"], value: "FILE", help: "Desired-state file (default: ./vpnform.yaml).")
    static let stateOption = OptionSpec(["--state"], value: "PATH", help: "State file (default: FILE with extension .state.json).")
    static let lockTimeoutOption = OptionSpec(["--lock-timeout"], value: "DURATION", help: "Wait this long for the state lock (e.g. 30s, 2m; default 0s).")

    static func desiredPath(_ args: ParsedArguments) -> String { args.value("--file") ?? "vpnform.yaml" }

    static func statePath(_ args: ParsedArguments) -> String {
        args.value("--state") ?? StateStore.defaultPath(forDesired: desiredPath(args))
    }

    /// Loads and validates the desired file; prints its diagnostics to stderr.
    /// - Parameter keepingBytes: Whether the loaded file keeps its bytes (for its SHA-256).
    /// - Returns: The loaded file when it is valid, else `nil` (the caller exits 1).
    static func loadDesired(_ path: String, printer: Printer,
                            keepingBytes: Bool = true) -> (state: DesiredState, loaded: LoadedDesiredState)? {
        do {
            let loaded = try DesiredStateLoader(parallel: true).load(path: path, keepingBytes: keepingBytes)
            printer.diagnostics(loaded.diagnostics)
            guard loaded.isValid, let state = loaded.state else {
                let errors = loaded.diagnostics.filter { $0.severity == .error }.count
                let counts = "\(errors) error\(errors == 1 ? "" : "s")"
                printer.print(Problem(severity: .summary, file: path, message: "\(counts); nothing was planned"))
                return nil
            }
            return (state, loaded)
        } catch {
            printer.print(error)
            return nil
        }
    }

    /// Parses `30s`, `2m`, `500ms`, `1h` or a plain number of seconds.
    static func duration(_ text: String) throws(UsageError) -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let v = Double(text.dropLast(suffix.count)), v >= 0 { return v * factor }
        }
        if let v = Double(text), v >= 0 { return v }
        throw UsageError("invalid duration \"\(text)\"; expected e.g. 30s, 2m, 500ms")
    }

    /// The `vpnform import` command a drift section shows for a gateway's unmanaged connections.
    static func importCommand(desiredPath: String, statePath: String) -> @Sendable (GatewayID) -> String {
        let file = shellQuoted(desiredPath), state = shellQuoted(statePath)
        return { "vpnform import --gateway \($0) -f \(file) --state \(state)" }
    }

    /// `text`, quoted for a POSIX shell when it needs it.
    static func shellQuoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@".contains($0) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `body` on the concurrency pool and waits for it on this thread: how a command that is
    /// synchronous (so that it runs under valgrind) makes the occasional network call
    /// (`plan --refresh`, `state show --refresh`) without an async entry point.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = BlockingResult<T>(), done = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }

    /// Whether standard output is a terminal.
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}

/// Written by a task before it signals a semaphore, read by the waiting thread after.
private final class BlockingResult<T>: @unchecked Sendable {
    var value: T?
}

import Foundation
import Synchronization
import VPNAPI
import VPNApply
import VPNForm

/// What an apply prints: the plan, progress lines (`[12/40] hq/shanghai created: 2 connections in
/// 0.41 s`) and the closing summary, as text or JSON lines.
final class ApplyOutput: Sendable {
    /// `--json`, `--quiet` or neither.
    enum Mode: Sendable {
        case text, quiet, json

        init(_ args: ParsedArguments) {
            self = args.flag("--json") ? .json : args.flag("--quiet") ? .quiet : .text
        }
    }

    let console: Console
    let printer: Printer
    let total: Int
    let mode: Mode
    private let done = Mutex(0)

    init(console: Console, printer: Printer, total: Int, mode: Mode) {
        self.console = console
        self.printer = printer
        self.total = total
        self.mode = mode
    }

    /// The desired file's warnings and the plan.
    func preamble(_ session: ApplySession) {
        printer.diagnostics(session.warnings)
        if mode == .text {
            let color = TextPlanRenderer.wantsColor(
                isTerminal: CommandSupport.stdoutIsTerminal, environment: console.environment)
            var renderer = TextPlanRenderer(color: color)
            renderer.drift = DriftRenderer(importCommand: CommandSupport.importCommand(desiredPath: session.desiredPath,
                                                                                      statePath: session.statePath))
            console.out(renderer.render(session.plan))
        }
    }

    /// Nothing to do: exit 0, unless recording the refresh (`report`) failed.
    func nothingToCreate(_ report: ApplyReport) -> Int32 {
        if let error = report.stateError {
            printer.print(error)
            return ExitCode.failure
        }
        switch mode {
        case .text: console.out("\nNothing to do.\n")
        case .json: console.out(Self.summaryJSON(created: 0, failed: 0, skipped: 0, seconds: 0, interrupted: false))
        case .quiet: break
        }
        return ExitCode.success
    }

    /// Just before the first call.
    func starting(_ session: ApplySession) {
        guard mode == .text else { return }
        if let url = session.emulatorURL {
            console.err("emulator: listening on \(url.absoluteString) with throwaway credentials\n")
        }
        if !session.throwawayKeys.isEmpty {
            console.err("emulator: \(session.throwawayKeys.joined(separator: ", ")) not set; using throwaway keys\n")
        }
        console.err("\n")
    }

    func finished(_ outcome: PairOutcome) {
        let n = done.withLock {
            $0 += 1; return $0
        }
        if mode == .json {
            var o: [String: JSONValue] = [
                "event": "pair", "address": .string(outcome.address.rawValue),
                "result": .string(Self.resultName(outcome.result)),
                "connections": .array(outcome.connections.compactMap { $0.id.map { .string($0.rawValue) } }),
                "milliseconds": .int(Int(outcome.seconds * 1000)), "index": .int(n), "total": .int(total),
            ]
            if case .failed(let failure) = outcome.result { o["error"] = Self.errorJSON(failure) }
            console.out(JSONValue.object(o).canonical + "\n")
        } else if mode == .text || !outcome.succeeded {
            console.err("[\(n)/\(total)] \(outcome.summary)\n")
        }
    }

    /// `hq/shanghai: throttled (429), retrying in 2.0 s`; a JSON `retry` event with `--json`.
    func retrying(_ address: PairAddress, _ notice: RetryNotice) {
        switch mode {
        case .json:
            let o: [String: JSONValue] = [
                "event": "retry", "address": .string(address.rawValue), "reason": .string(notice.description),
                "milliseconds": .int(Int(notice.seconds * 1000)), "attempt": .int(notice.attempt),
            ]
            console.out(JSONValue.object(o).canonical + "\n")
        case .text: console.err("\(address): \(notice)\n")
        case .quiet: break
        }
    }

    /// `apply --wait`: a line per status change; a pair the wait fails is reported again, not counted again.
    func waiting(_ event: StatusWaiter.Event) {
        switch event {
        case let .status(address, name, status):
            if mode == .text { console.err("\(address): \(name) is \(status)\n") }
        case .failed(let outcome):
            if mode == .json {
                var o: [String: JSONValue] = ["event": "wait", "address": .string(outcome.address.rawValue), "result": "failed"]
                if case .failed(let failure) = outcome.result { o["error"] = Self.errorJSON(failure) }
                console.out(JSONValue.object(o).canonical + "\n")
            } else {
                console.err("\(outcome.summary)\n")
            }
        }
    }

    /// `{http_status, error_code, error_msg, request_id}`: the API's answer when it gave one,
    /// else nulls and vpnform's own message.
    static func errorJSON(_ failure: PairFailure) -> JSONValue {
        let api = failure.api
        return .object([
            "http_status": api.map { .int($0.status) } ?? .null,
            "error_code": api.map { .string($0.code) } ?? .null,
            "error_msg": .string(api?.message ?? failure.message),
            "request_id": api?.requestID.map { .string($0) } ?? .null,
        ])
    }

    static func resultName(_ r: PairOutcome.Result) -> String {
        switch r {
        case .created: return "created"
        case .adopted: return "adopted"
        case .completed: return "completed"
        case .updated: return "updated"
        case .replaced: return "replaced"
        case .deleted: return "deleted"
        case .failed: return "failed"
        case .skipped: return "skipped"
        }
    }

    static func summaryJSON(created: Int, failed: Int, skipped: Int, seconds: Double, interrupted: Bool) -> String {
        JSONValue.object([
            "event": "summary", "succeeded": .int(created), "failed": .int(failed), "skipped": .int(skipped),
            "milliseconds": .int(Int(seconds * 1000)), "interrupted": .bool(interrupted),
        ]).canonical + "\n"
    }

    /// The summary; returns the exit code the report calls for.
    func close(_ report: ApplyReport, statePath: String) -> Int32 {
        // An error in every mode: the run stopped short for a reason of its own.
        if let answer = report.stoppedBy {
            printer.error("the API refused the credentials (\(answer)); the apply stopped and sent nothing more",
                          hints: ["check HUAWEICLOUD_SDK_AK/SK and the IAM user's permissions"])
        }
        if mode == .json {
            console.out(
                Self.summaryJSON(
                    created: report.succeeded, failed: report.failed, skipped: report.skipped,
                    seconds: report.seconds, interrupted: report.interrupted))
        } else {
            let n = report.succeeded
            let outcome =
                report.interrupted
                ? "interrupted"
                : report.stoppedBy != nil ? "stopped"
                : report.failed + report.skipped == 0 ? "complete" : n == 0 ? "failed" : "partly failed"
            var line =
                "Apply \(outcome): \(n) pair\(n == 1 ? "" : "s") applied, "
                + "\(report.failed) failed"
            if report.skipped > 0 { line += ", \(report.skipped) not started" }
            line += String(format: " in %.1f s. State: %@\n", report.seconds, statePath)
            console.err(line)
        }
        if let stateError = report.stateError {
            // The journal beside the state still holds every change; the next reader replays it.
            printer.print(stateError)
            return ExitCode.failure
        }
        if report.interrupted { return ExitCode.interrupted }
        if report.failed == 0 && report.skipped == 0 { return ExitCode.success }
        return report.succeeded > 0 ? ExitCode.partialApply : ExitCode.failure
    }
}

import Foundation
import Synchronization
import VPNAPI
import VPNApply
import VPNForm

/// Progress lines (`[12/40] hq/shanghai created: 2 connections in 0.41 s`) and the closing summary.
final class ApplyOutput: Sendable {
    let console: Console
    let total: Int
    let json: Bool
    let quiet: Bool
    private let done = Mutex(0)

    init(console: Console, total: Int, json: Bool, quiet: Bool) {
        self.console = console
        self.total = total
        self.json = json
        self.quiet = quiet
    }

    func finished(_ outcome: PairOutcome) {
        let n = done.withLock { $0 += 1; return $0 }
        if json {
            var o: [String: JSONValue] = ["event": "pair", "address": .string(outcome.address.rawValue), "result": .string(Self.resultName(outcome.result)),
                                          "connections": .array(outcome.connections.compactMap { $0.id.map { .string($0.rawValue) } }),
                                          "milliseconds": .int(Int(outcome.seconds * 1000)), "index": .int(n), "total": .int(total)]
            if case .failed(let reason) = outcome.result { o["error"] = .string(reason) }
            console.out(JSONValue.object(o).canonical + "\n")
        } else if !quiet || !outcome.succeeded {
            console.err("[\(n)/\(total)] \(outcome.summary)\n")
        }
    }

    /// `hq/shanghai: throttled (429), retrying in 2.0 s`; a JSON `retry` event with `--json`.
    func retrying(_ address: PairAddress, _ notice: RetryNotice) {
        if json {
            let o: [String: JSONValue] = [
                "event": "retry", "address": .string(address.rawValue), "reason": .string(notice.description),
                "milliseconds": .int(Int(notice.seconds * 1000)), "attempt": .int(notice.attempt),
            ]
            console.out(JSONValue.object(o).canonical + "\n")
        } else if !quiet {
            console.err("\(address): \(notice)\n")
        }
    }

    static func resultName(_ r: PairOutcome.Result) -> String {
        switch r {
        case .created: return "created"
        case .adopted: return "adopted"
        case .completed: return "completed"
        case .recoveredOrphan: return "recovered-orphan"
        case .failed: return "failed"
        case .skipped: return "skipped"
        }
    }

    static func summaryJSON(created: Int, failed: Int, skipped: Int, seconds: Double, interrupted: Bool) -> String {
        JSONValue.object(["event": "summary", "succeeded": .int(created), "failed": .int(failed), "skipped": .int(skipped),
                          "milliseconds": .int(Int(seconds * 1000)), "interrupted": .bool(interrupted)]).canonical + "\n"
    }

    func close(_ report: ApplyReport, statePath: String) {
        // An error, on standard error in every mode: the run stopped short for a reason of its own.
        if let answer = report.stoppedBy {
            console.err("error: the API refused the credentials (\(answer)); the apply stopped and sent nothing more\n")
        }
        if json {
            console.out(Self.summaryJSON(created: report.succeeded, failed: report.failed, skipped: report.skipped, seconds: report.seconds, interrupted: report.interrupted))
            return
        }
        let ending = report.interrupted ? "interrupted" : report.stoppedBy != nil ? "stopped" : "complete"
        var line = "Apply \(ending): \(report.succeeded) pair\(report.succeeded == 1 ? "" : "s") applied, \(report.failed) failed"
        if report.skipped > 0 { line += ", \(report.skipped) not started" }
        line += String(format: " in %.1f s. State: %@\n", report.seconds, statePath)
        console.err(line)
    }
}

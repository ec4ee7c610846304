import VPNAPI
import VPNApply
import VPNForm

/// `apply --wait`: after the creates, polls every new connection until it settles, with a
/// progress line per status change; a pair whose connection ends in `ERROR` (or is still pending
/// when the timeout runs out) fails.
enum ApplyWait {
    static func run(_ report: ApplyReport, client: VPNClient, timeout: Double, output: ApplyOutput, interval: Double) async
        -> ApplyReport {
        let created = report.outcomes.filter { o in
            switch o.result {
            case .created, .completed: return true
            default: return false
            }
        }
        guard !created.isEmpty else { return report }
        let console = output.console
        if !output.quiet && !output.json {
            console.err("\nWaiting up to \(Int(timeout)) s for \(created.count) pair\(created.count == 1 ? "" : "s") to leave PENDING_*…\n")
        }
        let waiter = StatusWaiter(client: client, options: StatusWaiter.Options(timeout: .milliseconds(Int(timeout * 1000)),
                                                                                interval: .milliseconds(Int(interval * 1000))))
        let quiet = output.quiet || output.json
        let outcomes = await waiter.wait(for: created.map { ($0.address, $0.connections) }) { address, name, status in
            if !quiet { console.err("\(address): \(name) is \(status)\n") }
        }
        var report = report
        for o in outcomes where !o.succeeded {
            guard let i = report.outcomes.firstIndex(where: { $0.address == o.address }) else { continue }
            let why = o.timedOut ? "still pending after \(Int(timeout)) s" : "ended in \(o.statuses.joined(separator: ", "))"
            report.outcomes[i].result = .failed("created (ids recorded in the state) but \(why)")
            output.finished(report.outcomes[i], counted: false)
        }
        return report
    }
}

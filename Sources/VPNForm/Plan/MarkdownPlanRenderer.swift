/// Renders a plan as a pull-request comment: a summary table, the pairs by action, and the full
/// text plan folded in `<details>`. Stays under GitHub's 65,536-character comment limit by
/// dropping the details, then shortening the lists, when the plan is large.
///
/// Pairs are in natural order (`site2` before `site10`); in the full plan, which is a `diff`
/// block, a changed attribute is a `-` old line and a `+` new line, so GitHub colours it. The
/// first line is a hidden marker naming the desired file, `<!-- vpnform-plan: vpn.yaml -->`, so
/// a workflow keeps one comment per file when several stacks share a repository.
public struct MarkdownPlanRenderer: Sendable {
    /// The most characters the comment may have.
    public var limit: Int

    /// How the drift section names the import command.
    public var drift = DriftRenderer()

    /// Creates a renderer.
    public init(limit: Int = 65_536) { self.limit = limit }

    /// The comment's Markdown.
    /// - Parameter file: The desired file, named in the marker and the title.
    public func render(_ plan: Plan, file: String? = nil) -> String {
        var plan = plan
        plan.entries.sort { NaturalOrder.less($0.address.rawValue, $1.address.rawValue) }
        var text = TextPlanRenderer(color: false)
        text.drift = drift
        var changes = plan
        changes.drift = []
        let details = Self.diffMarkers(text.render(changes))
        let head = Self.marker(file: file) + "\n### vpnform plan\(file.map { ": `\($0)`" } ?? "")\n\n"
        for listLimit in [Int.max, 200, 50, 10, 0] {
            for withDetails in [true, false] where listLimit == Int.max || !withDetails {
                let text = head + compose(plan, listLimit: listLimit, details: withDetails ? details : nil)
                if text.count <= limit { return text }
            }
        }
        return String((head + compose(plan, listLimit: 0, details: nil)).prefix(limit))
    }

    /// `<!-- vpnform-plan: vpn.yaml -->`: how a workflow finds the comment of this file's plan.
    public static func marker(file: String?) -> String {
        "<!-- vpnform-plan\(file.map { ": \(String($0.filter { $0 != ">" }))" } ?? "") -->"
    }

    private func compose(_ plan: Plan, listLimit: Int, details: String?) -> String {
        var md = ""
        let driftText = drift.render(plan.drift)
        guard plan.hasChanges else {
            md += "**No changes.** The desired file and the state agree (\(plan.count(.noop)) pairs).\n"
            return md + folded(driftText, count: plan.drift.count, withText: details != nil)
        }
        md += "**\(plan.summaryLine)**\n\n"
        md += "| Action | Pairs |\n|---|---:|\n"
        let labels: [(PlanEntry.Action, String)] = [
            (.create, "➕ create"), (.update, "🔶 update in place"), (.replace, "♻️ replace (tunnel goes down)"),
            (.recover, "❗ recover (interrupted apply)"), (.delete, "➖ delete"), (.noop, "unchanged"),
        ]
        for (action, label) in labels { md += "| \(label) | \(plan.count(action)) |\n" }
        let headings: [(PlanEntry.Action, String)] = [
            (.create, "Create"), (.update, "Update in place"), (.replace, "Replace"), (.recover, "Recover"),
            (.delete, "Delete"),
        ]
        for (action, heading) in headings {
            let entries = plan.entries.filter { $0.action == action }
            guard !entries.isEmpty else { continue }
            md += "\n#### \(heading)\n\n"
            for e in entries.prefix(listLimit) { md += "- \(line(e))\n" }
            if entries.count > listLimit {
                md += "- …and \(entries.count - min(listLimit, entries.count)) more\n"
            }
        }
        md += folded(driftText, count: plan.drift.count, withText: details != nil)
        if let details {
            md += "\n<details><summary>Full plan</summary>\n\n```diff\n\(details)```\n\n</details>\n"
        } else {
            md += "\n_The full plan is too long for a comment; run `vpnform plan` to see it._\n"
        }
        return md
    }

    /// The drift section, folded: never mixed into the list of changes.
    private func folded(_ text: String, count: Int, withText: Bool) -> String {
        guard count > 0 else { return "" }
        let summary = "\(DriftRenderer.heading): \(count) item\(count == 1 ? "" : "s")"
        guard withText else { return "\n_\(summary); run `vpnform plan --refresh` to see them._\n" }
        return "\n<details><summary>\(summary)</summary>\n\n```diff\n\(Self.diffMarkers(text))```\n\n</details>\n"
    }

    /// Moves each line's `+` or `-` marker to the first column, where GitHub's `diff` highlighting
    /// looks for it, and splits a changed attribute (`~ name = old -> new`) into a `-` line with
    /// the old value and a `+` line with the new one. (`!` is left as it is: diff has no colour for it.)
    static func diffMarkers(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            let indent = String(repeating: " ", count: line.count - trimmed.count)
            guard let marker = trimmed.first, trimmed.dropFirst().first == " " else { return String(line) }
            if marker == "+" || marker == "-" { return String(marker) + indent + trimmed.dropFirst() }
            // `~ name = old -> new`, attribute lines only (a pair's header ends with `{`).
            guard marker == "~", !trimmed.hasSuffix("{"), let eq = trimmed.firstRange(of: " = ") else {
                return String(line)
            }
            let values = trimmed[eq.upperBound...].ranges(of: " -> ")
            guard values.count == 1, let arrow = values.first else { return String(line) }
            let name = trimmed.dropFirst()[..<eq.lowerBound]
            let old = trimmed[eq.upperBound..<arrow.lowerBound], new = trimmed[arrow.upperBound...]
            return "-\(indent)\(name) = \(old)\n+\(indent)\(name) = \(new)"
        }.joined(separator: "\n")
    }

    private func line(_ e: PlanEntry) -> String {
        let a = "`\(e.address.rawValue)`"
        switch e.action {
        case .create:
            let style = e.desired?.spec.attributes["style"]?.display ?? ""
            return "\(a): \(e.desired?.connections.count ?? 0) connections, style \(style.replacingOccurrences(of: "\"", with: ""))"
        case .update:
            let names = e.changes.prefix(5).map { "`\($0.attribute)`" }.joined(separator: ", ")
            return "\(a): \(names)\(e.changes.count > 5 ? " and \(e.changes.count - 5) more" : "")"
        case .replace:
            let names = e.replacedBy.map { "`\($0)`" }.joined(separator: ", ")
            return "\(a): forced by \(names); the tunnel goes down until the new connections are up"
        case .recover:
            return "\(a): left pending by an interrupted apply"
        case .delete:
            return "\(a): apply deletes its \(e.current?.connections.count ?? 0) connections"
        case .noop:
            return a
        }
    }
}

/// Renders a plan as text that reads like Terraform's: `+ ~ - !` markers, attribute lines, and a
/// closing `Plan: …` line.
public struct TextPlanRenderer: Sendable {
    /// Whether to colour markers with ANSI escapes (only on a terminal, never with `NO_COLOR`).
    public var color: Bool

    /// Creates a renderer.
    public init(color: Bool) { self.color = color }

    /// How the drift section names the import command.
    public var drift = DriftRenderer()

    /// Whether colour is wanted: standard output is a terminal and `NO_COLOR` is unset or empty.
    public static func wantsColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// The whole plan as text.
    public func render(_ plan: Plan) -> String {
        var out = OutputBuffer(capacity: 1 << 16)
        write(plan, to: &out)
        return out.text
    }

    /// Writes the whole plan into `out`, marking a chunk boundary after each entry; the caller
    /// calls ``OutputBuffer/finish()``.
    public func write(_ plan: Plan, to out: inout OutputBuffer) {
        write(plan, to: &out, parallelMinimum: Self.parallelMinimum)
    }

    /// ``write(_:to:)``, on two threads from `parallelMinimum` entries on.
    func write(_ plan: Plan, to out: inout OutputBuffer, parallelMinimum: Int) {
        let driftText = drift.render(plan.drift)
        if !driftText.isEmpty { out.append(driftText + "\n") }
        if !plan.hasChanges {
            let n = plan.count(.noop)
            out.append("No changes. The desired file and the state agree (\(n) pair\(n == 1 ? "" : "s")).\n")
            return
        }
        out.append("vpnform will perform the following actions:\n")
        for m in plan.moved {
            out.append("\n  # \(m.from) has moved to \(m.to) (moved: in the desired file): the state follows, "
                       + "no API call\n")
        }
        if plan.entries.count >= parallelMinimum {
            writeInParallel(plan.entries, to: &out)
        } else {
            var members: [CanonicalMember] = []
            plan.entries.withUnsafeBufferPointer { writeEntries($0, $0.indices, members: &members, to: &out) }
        }
        out.append(UInt8(ascii: "\n"))
        out.append(paint(plan.summaryLine, "1"))
        out.append(UInt8(ascii: "\n"))
    }

    /// Writes the entries of `range` but unchanged pairs, marking a chunk boundary after each.
    /// Entries are large values: each is borrowed where it lies (`for entry in` would copy each),
    /// and a filtered copy of a large plan's entries would be tens of megabytes.
    func writeEntries(_ entries: UnsafeBufferPointer<PlanEntry>, _ range: Range<Int>,
                      members: inout [CanonicalMember], to out: inout OutputBuffer) {
        for i in range where entries[i].action != .noop {
            out.append(UInt8(ascii: "\n"))
            // A create is written from its canonical spec bytes; anything else as rendered.
            let plain = entries[i].action == .create && entries[i].liveStatus == nil
            if !(plain && writeCreate(entries[i].address, entries[i].desired, members: &members, to: &out)) {
                out.append(render(entries[i]))
            }
            out.boundary()
        }
    }

    /// One entry: a comment line saying what happens, then the attributes that matter.
    public func render(_ e: PlanEntry) -> String {
        let a = e.address.rawValue
        var lines: [(String, String, String)] = []  // (marker, name, value)
        let comment: String
        switch e.action {
        case .create:
            comment = "\(a) will be created"
            for (k, v) in sorted(e.desired?.spec.attributes ?? [:]) { lines.append(("+", k, v.display)) }
        case .update, .replace:
            if e.action == .update {
                comment = e.changes.isEmpty
                    ? "\(a) will be updated in place (an interrupted update is sent again)"
                    : "\(a) will be updated in place"
            } else {
                comment = "\(a) must be replaced: \(e.replacedBy.joined(separator: ", ")) cannot change in place; "
                    + "its connections are deleted, then created again (the tunnel goes down meanwhile)"
            }
            for c in e.changes {
                switch (c.old, c.new) {
                case let (old?, new?):
                    let forces = e.replacedBy.contains(c.attribute) ? " # forces replacement" : ""
                    lines.append(("~", c.attribute, "\(old.display) -> \(new.display)\(forces)"))
                case let (nil, new?): lines.append(("+", c.attribute, new.display))
                case let (old?, nil): lines.append(("-", c.attribute, "\(old.display) -> (unset)"))
                case (nil, nil): break
                }
            }
            lines.append((" ", "ids", idList(e.current)))
        case .recover:
            comment = e.desired == nil
                ? "\(a) was left pending by an interrupted apply and is no longer in the file: apply adopts what it finds, creates nothing"
                : "\(a) was left pending by an interrupted apply: apply looks for its connections by name before creating any"
            for c in e.current?.connections ?? [] {
                lines.append((" ", "connection", "\"\(c.name)\" on \(c.vgwIP)\(c.id.map { " (\($0))" } ?? "")"))
            }
        case .delete where e.current?.status == .pending:
            comment = "\(a) was left pending by an interrupted apply and is no longer in the file: apply looks for "
                + "its connections by name and deletes them"
            for c in e.current?.connections ?? [] { lines.append((" ", "connection", "\"\(c.name)\" on \(c.vgwIP)")) }
        case .delete:
            comment = "\(a) is in the state but not in the file: its connections will be deleted"
            lines.append((" ", "ids", idList(e.current)))
        case .noop:
            comment = "\(a) is unchanged"
        }
        if let status = e.liveStatus { lines.append((" ", "status", status.joined(separator: ", "))) }
        let width = lines.map(\.1.count).max() ?? 0
        var out = "  # \(comment)\n"
        out += "  \(paint(e.action.marker, color(e.action))) pair \"\(a)\" {\n"
        for (marker, name, value) in lines {
            let pad = String(repeating: " ", count: width - name.count)
            let m = marker == " " ? " " : paint(marker, color(for: marker))
            out += "      \(m) \(name)\(pad) = \(value)\n"
        }
        out += "    }\n"
        return out
    }

    private func idList(_ state: PairState?) -> String {
        let ids = state?.connections.compactMap { $0.id?.rawValue } ?? []
        return "[" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    private func sorted(_ d: [String: JSONValue]) -> [(String, JSONValue)] {
        JSONWriter.sortedKeys(d).map { ($0, d[$0]!) }
    }

    private func color(_ action: PlanEntry.Action) -> String { color(for: action.marker) }

    private func color(for marker: String) -> String {
        switch marker {
        case "+": return "32"
        case "~": return "33"
        case "-", "-/+": return "31"
        case "!": return "35"
        default: return "0"
        }
    }

    func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

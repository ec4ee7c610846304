import Foundation
import VPNAPI
import VPNApply
import VPNForm

enum StateCommand {
    static let usage = "vpnform state list [--json] | show ADDRESS [--refresh] [--endpoint URL] | rm ADDRESS... "
        + "| mv OLD NEW | merge BASE OURS THEIRS  [-f FILE] [--state PATH]"

    static let spec = CommandSpec(
        name: "state",
        summary: "Inspect the state file, stop managing or rename pairs, or merge two versions (a git merge driver).",
        usage: usage,
        options: [
            CommandSupport.fileOption, CommandSupport.stateOption,
            OptionSpec(["--json"],
                       help: "state list: a JSON array of {address, status, gateway_id, cgw_id, connections}."),
            OptionSpec(["--refresh"], help: "state show: each connection's live status, and what changed outside vpnform."),
            OptionSpec(["--endpoint"], value: "URL", help: "state show --refresh: API endpoint (default: the state's region)."),
        ],
        maxPositionals: 16,
        details: """
        state list              every pair in the state, with its status and connection ids (--json: as JSON)
        state show ADDRESS      one pair (GATEWAY/CONNECTION) in full; with --refresh also each connection's live
                                status (ACTIVE, DOWN, ERROR, PENDING_*) and attributes changed outside vpnform
        state rm ADDRESS...     stop managing pairs (or every pair of a gateway): the state forgets them, the
                                cloud keeps their connections, and no API call is made
        state mv OLD NEW        rename a pair address or a gateway handle in the state (never a replace; the
                                next apply renames the API connections in place). A `moved:` entry in the
                                desired file does the same at the next plan and apply.
        state merge O A B       three-way merge by pair, as a git merge driver (writes the result to A):
                                  .gitattributes:  *.state.json merge=vpnform
                                  git config merge.vpnform.driver 'vpnform state merge %O %A %B'
        """
    ) { args, console in
        let printer = Printer(console: console, arguments: args)
        switch args.positionals.first {
        case "list" where args.positionals.count == 1: return list(args, console, printer)
        case "show" where args.positionals.count == 2: return show(args.positionals[1], args, console, printer)
        case "merge" where args.positionals.count == 4: return merge(Array(args.positionals.dropFirst()), printer)
        case "rm" where args.positionals.count >= 2:
            return remove(Array(args.positionals.dropFirst()), args, printer, console)
        case "mv" where args.positionals.count == 3:
            return move(Move(from: args.positionals[1], to: args.positionals[2]), args, printer, console)
        default:
            printer.usage(UsageError("expected `state list`, `state show ADDRESS`, `state rm ADDRESS...`, "
                                     + "`state mv OLD NEW` or `state merge BASE OURS THEIRS`"),
                          usage: usage, command: "state")
            return ExitCode.usage
        }
    }

    static func load(_ args: ParsedArguments, _ printer: Printer) -> StateFile? {
        let path = CommandSupport.statePath(args)
        do {
            // Read without keeping the bytes: the file is mapped and let go as it is read.
            let (state, _) = try StateStore(path: path).load(keepingBytes: false)
            let files = FileManager.default
            if !files.fileExists(atPath: path) && !files.fileExists(atPath: StateJournal(statePath: path).path) {
                printer.print(Problem(severity: .summary, file: path,
                                      message: "no state file yet (nothing has been applied)"))
            }
            return state
        } catch {
            printer.print(error)
            return nil
        }
    }

    static func list(_ args: ParsedArguments, _ console: Console, _ printer: Printer) -> Int32 {
        guard let state = load(args, printer) else { return ExitCode.failure }
        if args.flag("--json") {
            var writer = JSONWriter(style: .pretty)
            writer.write(.array(state.pairs.keys.sorted().map { json($0, state.pairs[$0]!) }))
            console.out(writer.text + "\n")
            return ExitCode.success
        }
        for address in state.pairs.keys.sorted() {
            let pair = state.pairs[address]!
            let ids = pair.connections.map { $0.id?.rawValue ?? "-" }.joined(separator: ",")
            console.out("\(address)\t\(pair.status.rawValue)\t\(ids)\n")
        }
        return ExitCode.success
    }

    /// One pair for `state list --json`: what the text list shows, with names and IPs.
    static func json(_ address: PairAddress, _ pair: PairState) -> JSONValue {
        .object([
            "address": .string(address.rawValue), "status": .string(pair.status.rawValue),
            "gateway_id": .string(pair.gatewayID.rawValue), "cgw_id": .string(pair.cgwID.rawValue),
            "connections": .array(pair.connections.map { c in
                .object(["id": c.id.map { .string($0.rawValue) } ?? .null, "name": .string(c.name),
                         "vgw_ip": .string(c.vgwIP)])
            }),
        ])
    }

    static func show(_ address: String, _ args: ParsedArguments, _ console: Console, _ printer: Printer) -> Int32 {
        guard let state = load(args, printer) else { return ExitCode.failure }
        guard let pair = state.pairs[PairAddress(rawValue: address)] else {
            let hint = Suggestion.hint(for: address, in: state.pairs.keys.map(\.rawValue))
            printer.error("no pair \"\(address)\" in the state\(hint)")
            return ExitCode.failure
        }
        var lines: [(String, String)] = [
            ("address", address), ("status", pair.status.rawValue), ("gateway_id", pair.gatewayID.rawValue),
            ("cgw_id", pair.cgwID.rawValue), ("spec_digest", pair.specDigest.rawValue),
        ]
        for (i, c) in pair.connections.enumerated() {
            lines.append(("connections[\(i)]", "\(c.name) on \(c.vgwIP): \(c.id?.rawValue ?? "(no id yet)")\(c.createdAt.map { ", created \($0)" } ?? "")"))
        }
        for key in JSONWriter.sortedKeys(pair.spec.attributes) {
            lines.append(("spec." + key, pair.spec.attributes[key]!.display))
        }
        if args.flag("--refresh") {
            guard let live = CommandSupport.blocking({ await liveLines(pair, state: state, args, console, printer) }) else {
                return ExitCode.failure
            }
            lines += live
        }
        let width = lines.map(\.0.count).max() ?? 0
        for (k, v) in lines { console.out("\(k)\(String(repeating: " ", count: width - k.count))  \(v)\n") }
        return ExitCode.success
    }

    /// `live.connections[i]` status lines and `live.drift.…` lines: the pair as the API shows it.
    static func liveLines(_ pair: PairState, state: StateFile, _ args: ParsedArguments, _ console: Console,
                          _ printer: Printer) async -> [(String, String)]? {
        var target = state.cloud
        if target == nil, let desired = try? DesiredStateLoader().load(path: CommandSupport.desiredPath(args)).state {
            target = ClientSetup.target(desired: desired, environment: console.environment)
        }
        guard let target else {
            printer.error("--refresh: the state records no project and region yet, and no desired file names them (-f)")
            return nil
        }
        let override = args.value("--endpoint").flatMap { URL(string: $0) }
        let client: VPNClient
        switch ClientSetup.make(target: target, environment: console.environment, trace: nil, override: override) {
        case .success(let s): client = s.client
        case .failure(let error):
            printer.error("--refresh: \(error)")
            return nil
        }
        var lines: [(String, String)] = [], found: [LiveConnection?] = []
        for (i, record) in pair.connections.enumerated() {
            guard let id = record.id else { found.append(nil); continue }
            do throws(VPNAPIError) {
                let c = LiveConnection(try await client.showConnection(id: id.rawValue))
                found.append(c)
                lines.append(("live.connections[\(i)]", c.status))
            } catch .api(let body) where body.status == 404 {
                found.append(nil)
                lines.append(("live.connections[\(i)]", "DELETED (deleted outside vpnform; the next apply creates it again)"))
            } catch {
                printer.print(printer.liveRead(error))
                return nil
            }
        }
        for c in Refresh.changes(pair.spec, found) {
            lines.append(("live.drift." + c.attribute, "\(c.old?.display ?? "(unset)") -> \(c.new?.display ?? "(unset)")"))
        }
        return lines
    }

    /// Rewrites the state under its lock; `change` returns an error message or `nil`.
    static func rewrite(_ args: ParsedArguments, _ printer: Printer, _ change: (inout StateFile) -> String?) -> Int32 {
        let path = CommandSupport.statePath(args)
        do throws(StateError) {
            let lock = try StateLock.acquire(statePath: path, command: "state", timeout: 0)
            defer { lock.release() }
            let store = StateStore(path: path)
            var state = try store.loadFolded().state
            if let problem = change(&state) {
                printer.error(problem)
                return ExitCode.failure
            }
            try store.save(state)
            return ExitCode.success
        } catch {
            printer.print(error)
            return ExitCode.failure
        }
    }

    static func remove(_ targets: [String], _ args: ParsedArguments, _ printer: Printer, _ console: Console) -> Int32 {
        rewrite(args, printer) { state in
            let policy = PlanPolicy(targets: targets)
            let gone = state.pairs.keys.filter { policy.targets($0) }.sorted()
            let unknown = targets.filter { t in !gone.contains { $0.rawValue == t || $0.rawValue.hasPrefix(t + "/") } }
            if !unknown.isEmpty {
                let named = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                return "no pair \(named) in the state; nothing was removed"
            }
            for a in gone {
                state.pairs[a] = nil
                console.out("Removed \(a) from the state; its connections are left as they are.\n")
            }
            return nil
        }
    }

    static func move(_ move: Move, _ args: ParsedArguments, _ printer: Printer, _ console: Console) -> Int32 {
        rewrite(args, printer) { state in
            let affected = state.pairs.keys.filter { move.moved($0) != nil }
            guard !affected.isEmpty else { return "no pair \"\(move.from)\" in the state; nothing was moved" }
            let (moved, done) = state.applying([move])
            guard !done.isEmpty else { return "\(move.to) is in the state already; nothing was moved" }
            state = moved
            for (old, new) in done.sorted(by: { $0.from.rawValue < $1.from.rawValue }) {
                console.out("Moved \(old) to \(new).\n")
            }
            return nil
        }
    }

    static func merge(_ paths: [String], _ printer: Printer) -> Int32 {
        let (basePath, oursPath, theirsPath) = (paths[0], paths[1], paths[2])
        do {
            let ours = try StateStore(path: oursPath).load().state
            let theirs = try StateStore(path: theirsPath).load().state
            // git hands an empty base file when the state was added on both sides.
            let baseSize = (try? FileManager.default.attributesOfItem(atPath: basePath)[.size] as? Int) ?? 0
            let baseIsEmpty = baseSize == 0
            let base = baseIsEmpty ? nil : try StateStore(path: basePath).load().state
            switch StateMerge.merge(base: base, ours: ours, theirs: theirs) {
            case .merged(let state):
                try StateStore(path: oursPath).save(state)
                return ExitCode.success
            case .conflict(let reasons):
                printer.print(Problem(file: oursPath, message: "vpnform state merge: conflict", hints: reasons))
                return ExitCode.failure
            }
        } catch {
            printer.print(error)
            return ExitCode.failure
        }
    }
}

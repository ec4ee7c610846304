/// A subcommand: its option table, help, and what it does.
struct CommandSpec: Sendable {
    var name: String
    var summary: String
    var usage: String
    var options: [OptionSpec]
    var maxPositionals: Int = 0
    /// Which positional argument names the desired file, as `-f FILE` does.
    var positionalFile: PositionalFile = .none
    var details: String = ""
    var body: Body

    /// What a command runs: on the calling thread when it needs no concurrency, so that most
    /// commands never start the dispatch main queue (which valgrind cannot run: libdispatch's
    /// `sigsuspend`), or as an async function (apply, emulator).
    enum Body: Sendable {
        case synchronous(@Sendable (ParsedArguments, Console) -> Int32)
        case asynchronous(@Sendable (ParsedArguments, Console) async -> Int32)
    }

    /// A command that runs on the calling thread.
    init(name: String, summary: String, usage: String, options: [OptionSpec], maxPositionals: Int = 0,
         positionalFile: PositionalFile = .none, details: String = "",
         run: @escaping @Sendable (ParsedArguments, Console) -> Int32) {
        (self.name, self.summary, self.usage, self.options) = (name, summary, usage, options)
        (self.maxPositionals, self.positionalFile, self.details, body) = (maxPositionals, positionalFile, details, .synchronous(run))
    }

    /// A command that needs concurrency.
    init(name: String, summary: String, usage: String, options: [OptionSpec], maxPositionals: Int = 0,
         positionalFile: PositionalFile = .none, details: String = "",
         run: @escaping @Sendable (ParsedArguments, Console) async -> Int32) {
        (self.name, self.summary, self.usage, self.options) = (name, summary, usage, options)
        (self.maxPositionals, self.positionalFile, self.details, body) = (maxPositionals, positionalFile, details, .asynchronous(run))
    }

    /// Whether `vpnform COMMAND FILE` means `vpnform COMMAND -f FILE`.
    enum PositionalFile: Sendable {
        /// Positionals mean something else (or nothing).
        case none
        /// The only positional is the desired file.
        case always
        /// A positional ending in `.yaml` or `.yml` is the desired file (apply's other one is a plan).
        case yamlOnly
    }

    static let helpOption = OptionSpec(["-h", "--help"], help: "Show this help.")

    var help: String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n"
        if !details.isEmpty { text += "\n\(details)\n" }
        text += "\nOPTIONS:\n"
        let rows = (options + [Self.helpOption]).map { o in
            (o.names.joined(separator: ", ") + (o.takesValue ? " \(o.valueName)" : o.optionalValue ? "[=\(o.valueName)]" : ""), o.help)
        }
        text += Self.columns(rows)
        return text
    }

    /// Two columns, the second aligned after the longest first one: `  NAME   help`.
    static func columns(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "  \($0.0)\(String(repeating: " ", count: width - $0.0.count + 3))\($0.1)\n" }.joined()
    }

    /// Moves a positional desired file into `--file`.
    /// - Throws: ``UsageError`` when the file is given both ways.
    func normalized(_ args: ParsedArguments) throws(UsageError) -> ParsedArguments {
        guard let first = args.positionals.first else { return args }
        switch positionalFile {
        case .none: return args
        case .yamlOnly where !(first.hasSuffix(".yaml") || first.hasSuffix(".yml")): return args
        case .always, .yamlOnly:
            if args.value("--file") != nil {
                throw UsageError("give the desired file either as FILE or with -f, not both")
            }
            var moved = args
            moved.positionals.removeFirst()
            moved.options["--file"] = [first]
            return moved
        }
    }
}

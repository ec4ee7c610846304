/// A subcommand: its option table, help, and what it does.
struct CommandSpec: Sendable {
    var name: String
    var summary: String
    var usage: String
    var options: [OptionSpec]
    var maxPositionals: Int = 0
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
         details: String = "", run: @escaping @Sendable (ParsedArguments, Console) -> Int32) {
        (self.name, self.summary, self.usage, self.options) = (name, summary, usage, options)
        (self.maxPositionals, self.details, body) = (maxPositionals, details, .synchronous(run))
    }

    /// A command that needs concurrency.
    init(name: String, summary: String, usage: String, options: [OptionSpec], maxPositionals: Int = 0,
         details: String = "", run: @escaping @Sendable (ParsedArguments, Console) async -> Int32) {
        (self.name, self.summary, self.usage, self.options) = (name, summary, usage, options)
        (self.maxPositionals, self.details, body) = (maxPositionals, details, .asynchronous(run))
    }

    static let helpOption = OptionSpec(["-h", "--help"], help: "Show this help.")

    var help: String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n"
        if !details.isEmpty { text += "\n\(details)\n" }
        text += "\nOPTIONS:\n"
        for o in options + [Self.helpOption] {
            var names = o.names.joined(separator: ", ")
            if o.takesValue { names += " \(o.valueName)" }
            let pad = String(repeating: " ", count: max(1, 28 - names.count))
            text += "  \(names)\(pad)\(o.help)\n"
        }
        return text
    }
}

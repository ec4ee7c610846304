/// A subcommand: its option table, help, and what it does.
struct CommandSpec: Sendable {
    var name: String
    var summary: String
    var usage: String
    var options: [OptionSpec]
    var maxPositionals: Int = 0
    var details: String = ""
    var run: @Sendable (ParsedArguments, Console) async -> Int32

    static let helpOption = OptionSpec(["-h", "--help"], help: "Show this help.")

    var help: String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n"
        if !details.isEmpty { text += "\n\(details)\n" }
        text += "\nOPTIONS:\n"
        for o in options + [Self.helpOption] {
            var names = o.names.joined(separator: ", ")
            if o.takesValue { names += " \(o.valueName)" } else if o.optionalValue { names += "[=\(o.valueName)]" }
            let pad = String(repeating: " ", count: max(1, 28 - names.count))
            text += "  \(names)\(pad)\(o.help)\n"
        }
        return text
    }
}

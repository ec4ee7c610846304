import Foundation
import VPNForm

/// One error or diagnostic as the CLI prints it: where, how serious, what, and what to do next.
struct Problem: Equatable, Sendable {
    /// `error` and `warning` are printed after the location; a `summary` line has no severity word.
    enum Severity: String, Sendable { case error, warning, summary }

    var severity: Severity = .error
    /// The file it is about, when there is one.
    var file: String?
    /// The position in that file, when known.
    var mark: Mark?
    /// What is wrong: a sentence without location or severity.
    var message: String
    /// What to do about it, one line each.
    var hints: [String] = []
    /// The source line with a caret under the position, when shown.
    var excerpt: String = ""

    /// `file:line:column: error: message`, the excerpt, then `  hint: …` lines.
    var text: String {
        let location = file.map { "\($0)\(mark.map { ":\($0.line):\($0.column)" } ?? ""): " } ?? ""
        let word = severity == .summary ? "" : "\(severity.rawValue): "
        return location + word + message + "\n" + excerpt + hints.map { "  hint: \($0)\n" }.joined()
    }
}

/// The one place the CLI turns errors and diagnostics into text, always on standard error.
///
/// Library errors carry data (file, position, payload); the printer lays them out the same way
/// everywhere and adds hints that name the command line the user typed (`-f`, `--state`).
struct Printer: Sendable {
    let console: Console
    /// The options naming files that the user gave, repeated in suggested commands: `-f vpn.yaml`.
    var fileArguments: [String] = []

    init(console: Console, arguments: ParsedArguments? = nil) {
        self.console = console
        if let arguments {
            for key in ["--file", "--state"] {
                if let value = arguments.value(key) {
                    fileArguments += [key == "--file" ? "-f" : key, Self.quoted(value)]
                }
            }
        }
    }

    /// Prints one problem.
    func print(_ problem: Problem) { console.err(problem.text) }

    /// Prints a plain error without a file.
    func error(_ message: String, hints: [String] = []) { print(Problem(message: message, hints: hints)) }

    /// Prints a usage error followed by the command's usage line.
    func usage(_ error: UsageError, usage: String, command: String?) {
        var text = Problem(message: error.message).text + "\nUSAGE: \(usage)\n"
        if let command { text += "See 'vpnform \(command) --help'.\n" }
        console.err(text)
    }

    /// Prints diagnostics in text form; file-level YAML errors also show their source line.
    func diagnostics(_ diagnostics: [Diagnostic]) {
        var text = ""
        var sources: [String: [Substring]] = [:]
        for d in diagnostics {
            var problem = Problem(
                severity: d.severity == .error ? .error : .warning, file: d.file, mark: d.mark,
                message: d.summary)
            if d.path.isEmpty, d.severity == .error {
                let lines = sources[d.file] ?? SourceExcerpt.lines(ofFile: d.file)
                sources[d.file] = lines
                if let excerpt = SourceExcerpt(lines: lines, mark: d.mark) {
                    problem.excerpt = excerpt.text
                    problem.hints = excerpt.hints(for: d.message)
                }
            }
            text += problem.text
        }
        console.err(text)
    }

    /// `vpnform COMMAND` with the user's file options, as a hint to copy.
    func command(_ words: String) -> String {
        "`" + (["vpnform", words] + fileArguments).joined(separator: " ") + "`"
    }

    static func quoted(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) } && !s.isEmpty ? s : "'\(s)'"
    }
}

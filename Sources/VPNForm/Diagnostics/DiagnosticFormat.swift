import Foundation

/// How diagnostics are printed: `--format text|json|github`.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `file:line:column: severity: path: message`, one per line.
    case text
    /// A JSON array of objects with `severity`, `file`, `line`, `column`, `path`, `message`.
    case json
    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
    case github

    /// Renders diagnostics in this format. The result ends with a newline unless it is empty.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch self {
        case .text:
            return diagnostics.map { "\($0)\n" }.joined()
        case .github:
            return diagnostics.map { d in
                let props = "file=\(Self.escapeProperty(d.file)),line=\(d.mark.line),col=\(d.mark.column)"
                return "::\(d.severity.rawValue) \(props)::\(Self.escapeData(d.summary))\n"
            }.joined()
        case .json:
            let objects = diagnostics.map { d -> [String: Any] in
                ["severity": d.severity.rawValue, "file": d.file, "line": d.mark.line,
                 "column": d.mark.column, "path": d.path, "message": d.message]
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    // https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    private static func escapeData(_ s: String) -> String { escape(s, ["%": "%25", "\r": "%0D", "\n": "%0A"]) }

    private static func escapeProperty(_ s: String) -> String {
        escape(s, ["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }

    /// One pass over the characters, so an escape is never escaped again.
    private static func escape(_ s: String, _ table: [Character: String]) -> String {
        var out = ""
        for c in s { if let e = table[c] { out += e } else { out.append(c) } }
        return out
    }
}

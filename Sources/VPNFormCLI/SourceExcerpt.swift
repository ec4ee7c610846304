import Foundation
import VPNForm

/// A source line with a caret under a position, as Swift's and Rust's compilers print it, and
/// hints for the YAML mistakes that libyaml reports in its own terms.
struct SourceExcerpt {
    /// The file's lines (empty when it cannot be read).
    let lines: [Substring]
    let mark: Mark

    /// `nil` when the position is not on a line of the file.
    init?(lines: [Substring], mark: Mark) {
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        self.lines = lines
        self.mark = mark
    }

    static func lines(ofFile path: String) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 64 << 20 else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    var line: Substring { lines[mark.line - 1] }

    /// ` 6 |   - name: hq: main` and `   |             ^` (tabs kept, so the caret lines up).
    var text: String {
        let number = String(mark.line)
        let gutter = String(repeating: " ", count: number.count)
        let shown = line.unicodeScalars.prefix(200)
        let before = shown.prefix(max(0, mark.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return " \(number) | \(String(String.UnicodeScalarView(shown)))\n \(gutter) | \(before)^\n"
    }

    /// Leading spaces of a line.
    static func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    /// The closest non-blank, non-comment line above this one.
    var previous: Substring? {
        lines[..<(mark.line - 1)].last {
            let t = $0.trimmingCharacters(in: .whitespaces); return !t.isEmpty && !t.hasPrefix("#")
        }
    }

    /// What is probably wrong, for the common indentation and quoting mistakes.
    func hints(for message: String) -> [String] {
        let indentation = "keys of one mapping, and the `-` of items of one list, must start in the same column"
        if line.prefix(mark.column).contains("\t") || message.contains("tab") {
            return ["YAML does not allow tabs for indentation: indent with spaces"]
        }
        if message.contains("mapping values are not allowed") {
            let colons = line.components(separatedBy: ": ").count - 1
            if colons >= 2 || line.hasSuffix(":") && colons >= 1 {
                return ["a value that contains \": \" must be quoted, e.g. name: \"hq: main\""]
            }
            return ["this line is probably indented deeper than the key above it; \(indentation)"]
        }
        if message.contains("did not find expected key") || message.contains("did not find expected '-'")
            || message.contains("could not find expected ':'")
        {
            var hints = ["a line is probably indented differently from the lines beside it; \(indentation)"]
            if let previous {
                let (here, above) = (Self.indent(line), Self.indent(previous))
                if here != above {
                    let spaces = "\(here) space\(here == 1 ? "" : "s")"
                    hints.append("line \(mark.line) is indented by \(spaces), the line above by \(above)")
                }
            }
            return hints
        }
        if message.contains("expected ',' or ']'") { return ["a [ … ] list is not closed: a ] or a , is missing"] }
        if message.contains("expected ',' or '}'") { return ["a { … } mapping is not closed: a } or a , is missing"] }
        return []
    }
}

import LocatedYAML

/// Fixture text with a `1️⃣` marker where a diagnostic must point (swift-format's convention):
/// the marker is removed and its position becomes the expected line:column.
public struct MarkedSource: Sendable {
    public static let marker = "1️⃣"

    /// The text without markers.
    public let text: String
    /// The marker's position, counting columns in Unicode scalars as libyaml does.
    public let mark: Mark?

    public init(_ marked: String) {
        var line = 1, column = 1, found: Mark?
        var rest = Substring(marked)
        var clean = ""
        while !rest.isEmpty {
            if rest.hasPrefix(Self.marker) {
                if found == nil { found = Mark(line: line, column: column) }
                rest = rest.dropFirst(Self.marker.count)
                continue
            }
            let c = rest.removeFirst()
            clean.append(c)
            if c == "\n" { line += 1; column = 1 } else { column += c.unicodeScalars.count }
        }
        text = clean
        mark = found
    }
}

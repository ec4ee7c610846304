import LocatedYAML

/// A located finding about user input: an error that stops the run, or a warning that does not.
///
/// Prints compiler-style: `vpn.yaml:14:9: error: gateways[0].connections[1].style: expected …`.
/// A diagnostic never carries a secret: messages about pre-shared keys never quote the key.
public struct Diagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Comparable, Codable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    /// Error or warning.
    public var severity: Severity
    /// The file, as the user named it.
    public var file: String
    /// Where in the file.
    public var mark: Mark
    /// The field the finding is about (`gateways[0].connections[1].style`); empty for file-level findings.
    public var path: String
    /// What is wrong and what was expected.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, file: String, at mark: Mark, path: String, _ message: String) {
        self.severity = severity
        self.file = file
        self.mark = mark
        self.path = path
        self.message = message
    }

    /// `path: message`, or just the message when there is no path.
    public var summary: String { path.isEmpty ? message : "\(path): \(message)" }

    /// `file:line:column: severity: path: message`.
    public var description: String {
        "\(file):\(mark.line):\(mark.column): \(severity.rawValue): \(summary)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file position, duplicates removed (defaults can raise one finding per connection).
    public func sortedUnique() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }
            .sorted { ($0.file, $0.mark, $0.path) < ($1.file, $1.mark, $1.path) }
    }
}

/// A position in a source file: 1-based line and column, the column counted in characters.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// 1-based column, in characters (not bytes).
    public let column: Int

    /// Creates a mark from 1-based line and column numbers.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file.
    public static let start = Mark(line: 1, column: 1)

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A position in a source file: 1-based line and column, the column counted in characters.
///
/// Held in 32 bits each: every value of a desired model carries one (twice for a field that
/// `defaults` also sets), and 16 bytes a mark were a tenth of a large plan's memory.
public struct Mark: Hashable, Sendable, Comparable, CustomStringConvertible {
    private let storedLine: UInt32
    private let storedColumn: UInt32

    /// 1-based line number.
    public var line: Int { Int(storedLine) }
    /// 1-based column, in characters (not bytes).
    public var column: Int { Int(storedColumn) }

    /// Creates a mark from 1-based line and column numbers (beyond 4,294,967,295, that number).
    public init(line: Int, column: Int) {
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    /// The start of a file.
    public static let start = Mark(line: 1, column: 1)

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.storedLine, lhs.storedColumn) < (rhs.storedLine, rhs.storedColumn)
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

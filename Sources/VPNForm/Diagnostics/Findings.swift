/// Collects diagnostics for one file.
struct Findings {
    let file: String
    private(set) var list: [Diagnostic] = []

    init(file: String) { self.file = file }

    mutating func error(_ path: String, _ mark: Mark, _ message: String) {
        list.append(Diagnostic(.error, file: file, at: mark, path: path, message))
    }

    /// Drops the findings after the first `count`.
    mutating func removeAll(after count: Int) { list.removeSubrange(count...) }

    mutating func warning(_ path: String, _ mark: Mark, _ message: String) {
        list.append(Diagnostic(.warning, file: file, at: mark, path: path, message))
    }
}

import Foundation

/// The repository the tests run from.
public enum Repository {
    /// The repository's root folder (this file is `Tests/TestSupport/Repository.swift`).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file of the repository, by its path from the root: `examples/quickstart.yaml`.
    public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }
}

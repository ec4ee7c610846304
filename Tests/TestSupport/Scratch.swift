import Foundation

/// A temporary folder, removed when the last reference goes.
public final class Scratch: Sendable {
    /// The folder.
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vpnform-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A file in the folder.
    public func url(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// A file's path in the folder.
    public func path(_ name: String) -> String { url(name).path }

    /// Writes `text` to a file of the folder; returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let p = path(name)
        try! text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// A file's text, or `""` when it does not exist.
    public func read(_ name: String) -> String { (try? String(contentsOf: url(name), encoding: .utf8)) ?? "" }

    /// A file's bytes, or `nil` when it does not exist.
    public func bytes(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(name)).map { [UInt8]($0) }
    }

    /// Whether a file exists in the folder.
    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Copies files of the repository (`examples/quickstart.yaml`) into the folder, under their own names.
    @discardableResult
    public func copy(_ repositoryPaths: String...) -> Scratch {
        for p in repositoryPaths {
            try! FileManager.default.copyItem(at: Repository.url(p), to: url((p as NSString).lastPathComponent))
        }
        return self
    }
}

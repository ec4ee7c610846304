import Foundation
import LocatedYAML
import VPNCrypto

/// The result of reading and checking a desired-state file.
public struct LoadedDesiredState: Sendable {
    /// The model, when the file could be decoded far enough to build one. It may still have errors:
    /// use it only when ``isValid``.
    public var state: DesiredState?
    /// Every finding, sorted by position, errors and warnings.
    public var diagnostics: [Diagnostic]
    /// The file's bytes.
    public var bytes: [UInt8] = []
    /// The hex SHA-256 of the file's bytes (what a saved plan records), computed when asked for.
    public var sha256: String { SHA256.hex(bytes) }

    /// Whether the file can be planned and applied: a model and no errors.
    public var isValid: Bool { state != nil && !diagnostics.hasErrors }
}

/// Errors reading the desired-state file itself (as opposed to findings about its content).
public enum DesiredStateFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self { case .unreadable(let path, _): return path }
    }

    /// What is wrong, without location or severity.
    public var message: String {
        switch self { case .unreadable(_, let reason): return "cannot read the file: \(reason)" }
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}

/// Reads a desired-state file: YAML → located nodes → models → validation, gathering every diagnostic.
public struct DesiredStateLoader: Sendable {
    /// The YAML reader and its limits.
    public var reader: YAMLReader

    /// Creates a loader.
    public init(reader: YAMLReader = YAMLReader()) { self.reader = reader }

    /// Reads and checks the file at `path`.
    /// - Throws: ``DesiredStateFileError`` when the file cannot be read at all.
    public func load(path: String) throws(DesiredStateFileError) -> LoadedDesiredState {
        let url = URL(fileURLWithPath: path)
        do {
            let size = try url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if size.isDirectory == true { throw DesiredStateFileError.unreadable(path: path, reason: "it is a directory") }
            if let bytes = size.fileSize, bytes > reader.maxBytes {
                // Refuse before reading it into memory.
                return load(bytes: Array(repeating: 0x20, count: 0), file: path, oversize: bytes)
            }
            // One statement, so that the Data is gone before reading starts: only one copy of the file stays.
            let bytes = try [UInt8](Data(contentsOf: url))
            return load(bytes: bytes, file: path)
        } catch let e as DesiredStateFileError {
            throw e
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw DesiredStateFileError.unreadable(path: path, reason: reason)
        }
    }

    /// Reads and checks YAML bytes; `file` is the name diagnostics carry.
    public func load(bytes: [UInt8], file: String) -> LoadedDesiredState {
        load(bytes: bytes, file: file, oversize: nil)
    }

    private func load(bytes: [UInt8], file: String, oversize: Int?) -> LoadedDesiredState {
        if let oversize {
            let d = Diagnostic(.error, file: file, at: .start, path: "", "file is larger than \(reader.maxBytes >> 20) MiB (\(oversize) bytes); refusing to read it")
            return LoadedDesiredState(state: nil, diagnostics: [d])
        }
        // Each gateway is decoded as soon as it is read, so the YAML tree never holds the whole file.
        var decoder = DesiredStateDecoder(file: file)
        let document = reader.read(bytes, streamingItemsOf: "gateways") { decoder.decode(streamed: $0, at: $1) }
        var diagnostics = document.issues.map { Diagnostic(.error, file: file, at: $0.mark, path: "", $0.message) }
        if document.issues.contains(where: \.isFatal) {
            return LoadedDesiredState(state: nil, diagnostics: diagnostics, bytes: bytes)
        }
        let state = decoder.decode(document.root, gatewaysStreamed: document.itemsStreamed)
        diagnostics += decoder.d.findings.list
        if let state { diagnostics += Validator().validate(state, file: file) }
        return LoadedDesiredState(state: state, diagnostics: diagnostics.sortedUnique(), bytes: bytes)
    }
}

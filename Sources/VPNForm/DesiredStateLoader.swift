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
    /// The file's bytes; `nil` when loaded with `keepingBytes: false`.
    public var bytes: [UInt8]?
    /// The hex SHA-256 of the file's bytes (what a saved plan records), computed when asked for;
    /// `nil` when the file was loaded without keeping its bytes.
    public var sha256: String? { bytes.map { SHA256.hex($0) } }

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
    /// Whether a large file is read on two threads, its `gateways` cut in two (``YAMLCut``). The
    /// result is the same; it takes less time and a few more instructions.
    public var parallel: Bool
    /// The smallest file read on two threads (the fuzzer cuts small ones, to compare the readings).
    public var parallelMinimumBytes = YAMLCut.minimumBytes

    /// Creates a loader.
    public init(reader: YAMLReader = YAMLReader(), parallel: Bool = false) {
        self.reader = reader
        self.parallel = parallel
    }

    /// Reads and checks the file at `path`.
    /// - Parameter keepingBytes: Whether the result keeps the file's bytes (for ``LoadedDesiredState/sha256``);
    ///   without them, they are let go as soon as the YAML is parsed, before the model is checked: a
    ///   large file's bytes are as much memory as a large state's.
    /// - Throws: ``DesiredStateFileError`` when the file cannot be read at all.
    public func load(path: String, keepingBytes: Bool = true) throws(DesiredStateFileError) -> LoadedDesiredState {
        let url = URL(fileURLWithPath: path)
        do {
            let size = try url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if size.isDirectory == true { throw DesiredStateFileError.unreadable(path: path, reason: "it is a directory") }
            if let bytes = size.fileSize, bytes > reader.maxBytes {
                // Refuse before reading it into memory.
                var none: [UInt8] = []
                return load(bytes: &none, file: path, oversize: bytes, keepingBytes: true)
            }
            // One statement, so that the Data is gone before reading starts: only one copy of the file stays.
            var bytes = try [UInt8](Data(contentsOf: url))
            return load(bytes: &bytes, file: path, oversize: nil, keepingBytes: keepingBytes)
        } catch let e as DesiredStateFileError {
            throw e
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw DesiredStateFileError.unreadable(path: path, reason: reason)
        }
    }

    /// Reads and checks YAML bytes; `file` is the name diagnostics carry.
    public func load(bytes: [UInt8], file: String) -> LoadedDesiredState {
        var bytes = bytes
        return load(bytes: &bytes, file: file, oversize: nil, keepingBytes: true)
    }

    /// Reads and checks `bytes`, emptied once parsed unless `keepingBytes`.
    private func load(bytes: inout [UInt8], file: String, oversize: Int?, keepingBytes: Bool) -> LoadedDesiredState {
        if let oversize {
            let d = Diagnostic(.error, file: file, at: .start, path: "", "file is larger than \(reader.maxBytes >> 20) MiB (\(oversize) bytes); refusing to read it")
            return LoadedDesiredState(state: nil, diagnostics: [d])
        }
        // Each gateway is decoded as soon as it is read, so the YAML tree never holds the whole file.
        var decoder = DesiredStateDecoder(file: file)
        let document = (parallel ? readInTwo(bytes, file: file, into: &decoder) : nil)
            ?? reader.read(bytes, streamingItemsOf: "gateways") { decoder.decode(streamed: $0, at: $1) }
        if !keepingBytes { bytes = [] }
        var diagnostics = document.issues.map { Diagnostic(.error, file: file, at: $0.mark, path: "", $0.message) }
        if document.issues.contains(where: \.isFatal) {
            return LoadedDesiredState(state: nil, diagnostics: diagnostics, bytes: keepingBytes ? bytes : nil)
        }
        let state = decoder.decode(document.root, gatewaysStreamed: document.itemsStreamed)
        diagnostics += decoder.d.findings.list
        if let state { diagnostics += Validator().validate(state, file: file) }
        return LoadedDesiredState(state: state, diagnostics: diagnostics.sortedUnique(),
                                  bytes: keepingBytes ? bytes : nil)
    }

    /// Reads `bytes` in two parts at once, the second on a thread of its own, when the file can be
    /// cut and the cut holds with nothing to report (a file with findings is read whole, so that
    /// they are found as one reading finds them): the document, with `decoder` holding every
    /// streamed gateway; otherwise `nil`, `decoder` untouched.
    private func readInTwo(_ bytes: [UInt8], file: String, into decoder: inout DesiredStateDecoder) -> YAMLDocument? {
        guard let cut = reader.cut(bytes, streamingItemsOf: "gateways", minimumBytes: parallelMinimumBytes) else { return nil }
        let reader = self.reader
        var first = DesiredStateDecoder(file: file)
        let (document, (rest, second)) = concurrently({
            reader.read(bytes, before: cut, streamingItemsOf: "gateways") { first.decode(streamed: $0, at: $1) }
        }, {
            var second = DesiredStateDecoder(file: file)
            let rest = reader.read(bytes, after: cut) { second.decode(streamed: $0, at: $1) }
            return (rest, second)
        })
        guard let firstCount = cut.join(document, rest), first.hasNoFindings, second.hasNoFindings else { return nil }
        first.append(streamedBy: second, indexOffset: firstCount)
        decoder = first
        return document
    }
}

import CYAML

/// Where a file's streamed list (``YAMLReader/read(_:streamingItemsOf:offering:)``) can be cut in
/// two, so that its two parts are read at once on two threads.
///
/// The cut is a guess made from the text alone: a line near the middle of the file that looks like
/// an item of the list (the list's indentation, then `- `). The first part (the file before that
/// line) is read as the file is; the second (the rest) is read as a document whose root is the
/// list, its marks counted from the cut's line. ``join(_:_:)`` then says whether the two readings
/// are the file's: both without issues, the list still open at the end of the first part and at
/// the same column as the second part's root list starting on the cut's line, and no node of the
/// first part starting on that line (libyaml places the missing value of a `? key` at the next
/// token, which the first part's end moves). In YAML's block structure nothing but an item of that
/// list can start there, so the two parts' items are the file's items, with the same marks. When
/// ``join(_:_:)`` says no, the file is read whole.
public struct YAMLCut: Sendable {
    /// The byte offset of the first line of the second part.
    public let offset: Int
    /// The line breaks before ``offset``: the second part's first line is the file's line `lineBreaks + 1`.
    let lineBreaks: Int
    /// The column (0-based) of the `-` that starts the second part.
    let column: Int

    /// The smallest file worth cutting: below it, a second thread costs more than it saves.
    public static let minimumBytes = 256 << 10

    /// Whether two readings (``YAMLReader/read(_:before:streamingItemsOf:offering:)`` and
    /// ``YAMLReader/read(_:after:offering:)``) are the whole file's: when they are, the number of
    /// items of the first part (add it to the second part's item indices).
    public func join(_ first: YAMLDocument, _ second: YAMLDocument) -> Int? {
        let cutLine = Mark(line: lineBreaks + 1, column: 1)
        guard first.issues.isEmpty, second.issues.isEmpty,
              let a = first.streamedList, let b = second.streamedList,
              first.end == cutLine, a.end == cutLine, (first.lastNodeStart?.line ?? 0) < cutLine.line,
              a.start.column == column + 1, b.start == Mark(line: lineBreaks + 1, column: column + 1)
        else { return nil }
        return a.count
    }
}

extension YAMLReader {
    /// A cut of `bytes` in two parts for reading `key`'s list on two threads, or `nil` when the file
    /// is small or its text shows no place for one: the key must start a line, the list be written
    /// as a block list on the following lines, and the second part hold no alias (an alias there
    /// could name an anchor of the first part). The first part may hold no `%TAG` directive (one
    /// would change what the second part's tags mean).
    /// - Parameter minimumBytes: The smallest file to cut (tests cut small ones).
    public func cut(_ bytes: [UInt8], streamingItemsOf key: String, minimumBytes: Int = YAMLCut.minimumBytes) -> YAMLCut? {
        guard bytes.count >= minimumBytes, bytes.count <= maxBytes else { return nil }
        return bytes.withUnsafeBufferPointer { b -> YAMLCut? in
            guard let base = b.baseAddress else { return nil }
            func find(_ text: [UInt8], from: Int, to end: Int) -> Int? {
                var at = from
                while end - at >= text.count, let hit = memchr(base + at, Int32(text[0]), end - at - text.count + 1) {
                    at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, text, text.count) == 0 { return at }
                    at += 1
                }
                return nil
            }
            // The key at the start of a line, then the first line of its list: its indentation.
            let keyLine = Array("\n\(key):".utf8)
            guard let keyAt = b.starts(with: keyLine.dropFirst()) ? 0 : find(keyLine, from: 0, to: b.count).map({ $0 + 1 }),
                  var at = find([0x0A], from: keyAt, to: b.count).map({ $0 + 1 }) else { return nil }
            var indent = 0
            while true {  // past blank lines and comments, to the list's first item
                indent = 0
                while at + indent < b.count, b[at + indent] == 0x20 { indent += 1 }
                guard at + indent < b.count else { return nil }
                let first = b[at + indent]
                if first == 0x2D { break }
                guard first == 0x0A || first == 0x0D || first == 0x23,
                      let next = find([0x0A], from: at + indent, to: b.count) else { return nil }
                at = next + 1
            }
            let item: [UInt8] = [0x0A] + Array(repeating: 0x20, count: indent) + [0x2D, 0x20]
            guard let itemAt = find(item, from: b.count / 2, to: b.count).map({ $0 + 1 }),
                  memchr(base + itemAt, 0x2A, b.count - itemAt) == nil,  // `*`: an alias, maybe
                  find(Array("%TAG".utf8), from: 0, to: itemAt) == nil
            else { return nil }
            return YAMLCut(offset: itemAt, lineBreaks: Self.lineBreaks(in: UnsafeBufferPointer(rebasing: b[..<itemAt])),
                           column: indent)
        }
    }

    /// Reads the first part of a cut file as ``read(_:streamingItemsOf:offering:)`` reads a file.
    public func read(_ bytes: [UInt8], before cut: YAMLCut, streamingItemsOf key: String,
                     offering consume: (YAMLStreamedItem, Int) -> Bool) -> YAMLDocument {
        let lastNode = LastNodeWatch()
        var document = bytes.withUnsafeBufferPointer {
            read(UnsafeBufferPointer(rebasing: $0[..<cut.offset]), streamingItemsOf: key, watch: lastNode, offering: consume)
        }
        document.lastNodeStart = lastNode.start
        return document
    }

    /// Reads the second part of a cut file: a document whose root is the rest of the list, its items
    /// offered with indices from 0, its marks the file's.
    public func read(_ bytes: [UInt8], after cut: YAMLCut, offering consume: (YAMLStreamedItem, Int) -> Bool) -> YAMLDocument {
        // In the file, the list's items are two collections deep (the top-level mapping, the list);
        // here, one: the same limit is one level less.
        var reader = self
        reader.maxDepth = max(maxDepth, 1) - 1
        return bytes.withUnsafeBufferPointer {
            reader.read(UnsafeBufferPointer(rebasing: $0[cut.offset...]), streamingItemsOf: nil, rootList: true,
                        firstLine: cut.lineBreaks, watch: NoEventWatch(), offering: consume)
        }
    }

    /// Line breaks as libyaml counts those of an ASCII text: `\n`, `\r\n` and a lone `\r`. (Unicode's
    /// line breaks also count there; a text with one gets a different count, which ``YAMLCut/join(_:_:)``
    /// notices.)
    static func lineBreaks(in b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = b.baseAddress else { return 0 }
        func count(_ byte: UInt8, skippingBefore next: UInt8?) -> Int {
            var n = 0, at = 0
            while at < b.count, let hit = memchr(base + at, Int32(byte), b.count - at) {
                at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                if let next, at < b.count, b[at] == next { continue }
                n += 1
            }
            return n
        }
        return count(0x0A, skippingBefore: nil) + count(0x0D, skippingBefore: 0x0A)
    }
}

/// Notes where the last node of a reading starts.
final class LastNodeWatch: EventWatch {
    /// Written by the one reading that holds the watch: no access needs checking.
    @exclusivity(unchecked) var start: Mark?
    func saw(_ event: ReaderEvent) {
        if event.startsNode { start = event.mark }
    }
}

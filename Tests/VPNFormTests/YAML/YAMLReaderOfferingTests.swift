@testable import LocatedYAML
import Testing

/// `read(_:streamingItemsOf:offering:)`: plain items are offered as read, without a tree; any item
/// whose reading in place could differ from its composing is composed.
@Suite struct YAMLReaderOfferingTests {
    enum Offered: Equatable {
        case recorded(index: Int, mark: Mark)
        case composed(index: Int, mark: Mark)
    }

    struct Read {
        var document: YAMLDocument
        var offered: [Offered] = []
    }

    /// Reads `text`, taking recorded items unless `decline` is set.
    func read(_ text: String, decline: Bool = false, reader: YAMLReader = YAMLReader()) -> Read {
        var offered: [Offered] = []
        let document = reader.read(Array(text.utf8), streamingItemsOf: "gs") { item, index in
            switch item {
            case .recorded(let node):
                offered.append(.recorded(index: index, mark: node.mark))
                return !decline
            case .composed(let node):
                offered.append(.composed(index: index, mark: node.mark))
                return true
            }
        }
        return Read(document: document, offered: offered)
    }

    func kinds(_ r: Read) -> [String] {
        r.offered.map { if case .recorded = $0 { "recorded" } else { "composed" } }
    }

    @Test("plain items are offered as read, with their index and position")
    func plain() {
        let r = read("gs:\n  - {n: x, l: [1, 2]}\n  - n: y\n  - z\n")
        #expect(r.document.issues.isEmpty)
        #expect(r.document.itemsStreamed)
        #expect(r.offered == [.recorded(index: 0, mark: Mark(line: 2, column: 5)),
                              .recorded(index: 1, mark: Mark(line: 3, column: 5)),
                              .recorded(index: 2, mark: Mark(line: 4, column: 5))])
    }

    @Test("keys alike in length, first and last byte but different are told apart in place")
    func keysAlike() {
        // `axb` and `ayb` share the hash of a key read in place, so they are compared byte for byte.
        let r = read("gs:\n  - {axb: 1, ayb: 2, k: {n: x, m: y}, a_long_ascii_key: 3}\n")
        #expect(kinds(r) == ["recorded"])
        // The same key after others is found whatever came between (and in a nested mapping).
        #expect(kinds(read("gs:\n  - {axb: 1, ayb: 2, k: {n: x, m: y, n: z}}\n")) == ["composed"])
        #expect(kinds(read("gs:\n  - {axb: 1, ayb: 2, k: 3, axb: 4}\n")) == ["composed"])
    }

    @Test("a declined item is composed and offered again under the same index")
    func declined() {
        let r = read("gs:\n  - {n: x}\n  - {n: y}\n", decline: true)
        #expect(r.offered == [.recorded(index: 0, mark: Mark(line: 2, column: 5)),
                              .composed(index: 0, mark: Mark(line: 2, column: 5)),
                              .recorded(index: 1, mark: Mark(line: 3, column: 5)),
                              .composed(index: 1, mark: Mark(line: 3, column: 5))])
    }

    @Test("items that reading in place could get wrong are composed", arguments: [
        "gs:\n  - &a {n: x}\nlater: *a\n",          // an anchor a later alias needs
        "x: &a {k: 1}\ngs:\n  - {<<: *a, n: y}\n",   // an alias and a merge
        "gs:\n  - {<<: {k: 1}, n: y}\n",             // a merge without an alias
        "gs:\n  - !!map {n: x}\n",                   // a tag
        "gs:\n  - {n: x, n: y}\n",                   // a duplicate key
        "gs:\n  - {\"n\": x, n: y}\n",               // the same key, quoted once
        "gs:\n  - {é: x, e\u{301}: y}\n",            // non-ASCII keys, equal as text
        "gs:\n  - {abcdefghé: x}\n",                // a non-ASCII key, past its first eight bytes
        "gs:\n  - {éabcdefgh: x}\n",                // and within them
        "gs:\n  - {[a]: x}\n",                       // a collection as a key
        // More keys than are compared pairwise in place (a hostile file's thousands of tags).
        "gs:\n  - {" + (0...ItemRecorder.maxKeysInPlace).map { "k\($0): v" }.joined(separator: ", ") + "}\n",
    ])
    func composed(text: String) {
        let r = read(text)
        #expect(kinds(r).allSatisfy { $0 == "composed" }, "\(r.offered)")
        #expect(!r.offered.isEmpty)
        #expect(!r.document.issues.contains { $0.isFatal })
    }

    @Test("an item found not plain part way is composed from there: the same node and issues as composing it whole")
    func switchedPartWay() {
        let text = "gs:\n  - {a: {k: 1, k: 2}, b: [1, {c: 3}], d: x}\n  - {e: &n 5, f: *n, g: [y]}\n  - {h: 1}\n"
        var offered: [String] = []
        let document = YAMLReader().read(Array(text.utf8), streamingItemsOf: "gs") { item, index in
            switch item {
            case .recorded(let node): offered.append("recorded \(index) \(Self.dump(node))")
            case .composed(let node): offered.append("composed \(index) \(Self.dump(node))")
            }
            return true
        }
        var whole: [String] = []
        _ = YAMLReader().read(Array(text.utf8), streamingItemsOf: "gs") { item, index in
            guard case .composed(let node) = item else { return false }
            whole.append("\(index) \(Self.dump(node))")
            return true
        }
        #expect(offered.map { $0.split(separator: " ")[0] } == ["composed", "composed", "recorded"])
        let composedPart = offered.prefix(2).map { $0.split(separator: " ", maxSplits: 1)[1] }
        #expect(composedPart == whole.prefix(2).map { Substring($0) })
        #expect(document.issues.map(\.kind) == [.duplicateKey])
        #expect(document.issues.map(\.description) == YAMLReader().read(Array(text.utf8)).issues.map(\.description))
    }

    @Test("a composed item's issues are the document's, as without offering")
    func issuesOfComposed() {
        let text = "gs:\n  - {n: x}\n  - {n: x, n: y}\n  - {m: 1}\n"
        let r = read(text)
        #expect(kinds(r) == ["recorded", "composed", "recorded"])
        let plain = YAMLReader().read(Array(text.utf8))
        #expect(r.document.issues.map(\.description) == plain.issues.map(\.description))
        #expect(r.document.issues.map(\.kind) == [.duplicateKey])
    }

    @Test("the issues of an item cut short by a syntax error come before it")
    func partialItem() {
        let text = "gs:\n  - {n: x, n: y, m: [1\n"
        let r = read(text)
        #expect(r.offered.isEmpty)
        #expect(r.document.root == nil)
        #expect(r.document.issues.map(\.kind) == YAMLReader().read(Array(text.utf8)).issues.map(\.kind))
        #expect(r.document.issues.first?.kind == .duplicateKey)
    }

    @Test("an item nested past the depth limit is composed, and stops reading as without offering")
    func tooDeep() {
        let text = "gs:\n  - [[[[x]]]]\n"
        let r = read(text, reader: YAMLReader(maxDepth: 5))
        #expect(r.offered.isEmpty)
        #expect(r.document.issues.map(\.kind) == [.tooDeep])
        #expect(read("gs:\n  - [[x]]\n", reader: YAMLReader(maxDepth: 5)).offered.count == 1)
    }

    @Test("a recorded node reads as the composed one: scalars, lists, mappings and positions")
    func sameAsComposed() throws {
        let text = "gs:\n  - {a: 1, b: [x, 'y', {c: true}], d: ~, e: \"2\"}\n"
        var recorded = "", composed = ""
        _ = YAMLReader().read(Array(text.utf8), streamingItemsOf: "gs") { item, _ in
            switch item {
            case .recorded(let node): recorded = Self.dump(node)
            case .composed(let node): composed = Self.dump(node)
            }
            return false
        }
        #expect(!recorded.isEmpty)
        #expect(recorded == composed)
    }

    /// Everything a decoder can read of a node, as text.
    static func dump<Node: YAMLNodeView>(_ node: Node) -> String {
        var out = "\(node.mark) \(node.kindDescription)"
        if let s = node.scalar { out += " \(s.text)=\(s.value)" }
        if let items = node.items { out += " [" + items.map(dump).joined(separator: ", ") + "]" }
        if let entries = node.entries {
            let shown = entries.map { "\($0.key.string)@\($0.keyMark): \(dump($0.value))" }
            out += " {" + shown.joined(separator: ", ") + "}"
        }
        return out
    }
}

import LocatedYAML
import Testing

/// `read(_:streamingItemsOf:to:)`: the items of one top-level list handed out as each is read.
@Suite struct YAMLReaderStreamingTests {
    struct Streamed {
        var document: YAMLDocument
        var items: [(node: YAMLNode, index: Int)] = []
    }

    func read(_ text: String, key: String = "gs", reader: YAMLReader = YAMLReader()) -> Streamed {
        var items: [(node: YAMLNode, index: Int)] = []
        let document = reader.read(Array(text.utf8), streamingItemsOf: key) { items.append(($0, $1)) }
        return Streamed(document: document, items: items)
    }

    func entries(_ node: YAMLNode?) -> [YAMLEntry] {
        if case .mapping(let e)? = node?.content { return e }
        return []
    }

    func text(_ node: YAMLNode?) -> String? {
        if case .scalar(let s)? = node?.content { return s.text }
        return nil
    }

    @Test("items come out in order, with their index and position; the tree keeps an empty list")
    func order() throws {
        let r = read("a: 1\ngs:\n  - {n: x}\n  - n: y\n  - z\nb: 2\n")
        #expect(r.document.issues.isEmpty)
        #expect(r.document.itemsStreamed)
        #expect(r.items.map(\.index) == [0, 1, 2])
        #expect(r.items.map(\.node.mark) == [Mark(line: 3, column: 5), Mark(line: 4, column: 5), Mark(line: 5, column: 5)])
        #expect(text(entries(r.items[1].node).first?.value) == "y")
        let top = entries(r.document.root)
        #expect(top.map(\.key) == ["a", "gs", "b"])
        guard case .sequence(let kept) = top[1].value.content else { Issue.record("gs is not a list"); return }
        #expect(kept.isEmpty)
    }

    @Test("only the top-level key's first list is streamed; a duplicate is still reported and dropped")
    func firstTopLevelOnly() {
        let r = read("x:\n  gs: [1]\ngs: [a]\ngs: [b]\n")
        #expect(r.items.map { text($0.node) } == ["a"])
        #expect(r.document.issues.map(\.kind) == [.duplicateKey])
        guard case .sequence(let nested) = entries(entries(r.document.root)[0].value).first?.value.content else {
            Issue.record("x.gs is not a list"); return
        }
        #expect(nested.count == 1)
    }

    @Test("a quoted key is the same key; a merge key or a scalar value streams nothing")
    func keyForms() {
        #expect(read("\"gs\": [a, b]\n").items.count == 2)
        let scalar = read("gs: 5\n")
        #expect(scalar.items.isEmpty && !scalar.document.itemsStreamed)
    }

    @Test("an anchored list keeps its items, so an alias to it still has them")
    func anchoredList() {
        let r = read("gs: &all [a, b]\nagain: *all\n")
        #expect(r.items.isEmpty && !r.document.itemsStreamed)
        guard case .sequence(let items) = entries(r.document.root)[1].value.content else {
            Issue.record("again is not a list"); return
        }
        #expect(items.count == 2)
    }

    @Test("anchors inside streamed items and merges into them still work")
    func anchorsAndMerges() {
        let r = read("gs:\n  - &one {k: 1, l: 2}\n  - {<<: *one, l: 3}\nlater: *one\n")
        #expect(r.document.issues.isEmpty)
        #expect(entries(r.items[1].node).map { "\($0.key)=\(text($0.value) ?? "")" } == ["l=3", "k=1"])
        #expect(entries(entries(r.document.root)[1].value).count == 2)
    }

    @Test("a fatal error after some items leaves no document; the items already out came first")
    func fatalAfterItems() {
        let r = read("gs:\n  - a\n  - b\n  - [c\nz: 1\n")
        #expect(r.items.count == 2)
        #expect(r.document.root == nil)
        #expect(r.document.issues.contains { $0.isFatal })
    }

    @Test("streamed aliases count against the expansion budget")
    func aliasBudget() {
        let r = read("a: &a [1, 2, 3]\ngs: [*a, *a, *a]\n", reader: YAMLReader(maxAliasExpansion: 8))
        #expect(r.document.issues.map(\.kind) == [.aliasBudgetExceeded])
        #expect(r.items.count == 2)
    }
}

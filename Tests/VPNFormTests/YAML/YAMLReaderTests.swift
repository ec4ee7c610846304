import LocatedYAML
import Testing

@Suite struct YAMLReaderTests {
    func read(_ text: String, reader: YAMLReader = YAMLReader()) -> YAMLDocument {
        reader.read(Array(text.utf8))
    }

    func mapping(_ node: YAMLNode?) -> [YAMLEntry] {
        if case .mapping(let e)? = node?.content { return e }
        return []
    }

    @Test("every node keeps its 1-based line and column")
    func marks() throws {
        let doc = read("a: 1\nb:\n  - x\n  - \"y\"\nc: {d: [e]}\n")
        #expect(doc.issues.isEmpty)
        let entries = mapping(doc.root)
        #expect(entries.map(\.key) == ["a", "b", "c"])
        #expect(entries[0].keyMark == Mark(line: 1, column: 1))
        #expect(entries[0].value.mark == Mark(line: 1, column: 4))
        guard case .sequence(let items) = entries[1].value.content else { Issue.record("b is not a list"); return }
        #expect(items.map(\.mark) == [Mark(line: 3, column: 5), Mark(line: 4, column: 5)])
        #expect(entries[2].value.mark == Mark(line: 5, column: 4))
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() {
        let doc = read("wörker: ä\nx: y\n")
        #expect(mapping(doc.root)[0].value.mark == Mark(line: 1, column: 9))
    }

    @Test("scalars resolve by the YAML 1.2 core schema", arguments: [
        ("42", YAMLValue.int(42)), ("-7", .int(-7)), ("0x1F", .int(31)), ("1.0", .float(1.0)), ("1e3", .float(1000)),
        ("true", .bool(true)), ("False", .bool(false)), ("yes", .string("yes")), ("on", .string("on")),
        ("~", .null), ("null", .null), ("", .null), ("\"42\"", .string("42")), ("'true'", .string("true")),
        ("!!str 42", .string("42")), ("1.2.3", .string("1.2.3")), ("0d0f4af1-42b9", .string("0d0f4af1-42b9")),
        ("${PSK}", .string("${PSK}")), ("192.168.0.0/24", .string("192.168.0.0/24")),
    ])
    func resolution(text: String, expected: YAMLValue) {
        let doc = read("k: \(text)\n")
        guard case .scalar(let s)? = mapping(doc.root).first?.value.content else {
            Issue.record("no scalar for \(text)"); return
        }
        #expect(s.value == expected)
    }

    @Test("a duplicate key is reported at the second key, with the first's position")
    func duplicateKeys() {
        let doc = read("a: 1\nb: 2\na: 3\n")
        #expect(doc.issues == [YAMLIssue(.duplicateKey, at: Mark(line: 3, column: 1), "duplicate key \"a\" (first at 1:1)")])
        #expect(mapping(doc.root).count == 2)
    }

    @Test("complex keys are reported as such, each once, never as a duplicate of another")
    func complexKeys() {
        let doc = read("? [a]\n: 1\n? {b: 2}\n: 2\nc: 3\n")
        #expect(doc.issues == [
            YAMLIssue(.complexKey, at: Mark(line: 1, column: 3), "complex keys are not supported: this key is a list"),
            YAMLIssue(.complexKey, at: Mark(line: 3, column: 3),
                      "complex keys are not supported: this key is a mapping"),
        ])
        #expect(mapping(doc.root).map(\.key) == ["c"])
    }

    @Test("keys of different YAML values are different keys: 1 (an integer) and \"1\" (a string)")
    func keysByValue() {
        let doc = read("1: a\n\"1\": b\nx: c\n\"x\": d\n")
        let duplicate = YAMLIssue(.duplicateKey, at: Mark(line: 4, column: 1), "duplicate key \"x\" (first at 3:1)")
        #expect(doc.issues == [duplicate])
        #expect(mapping(doc.root).map(\.key) == ["1", "1", "x"])
        #expect(mapping(doc.root).map(\.keyIsString) == [false, true, true])
    }

    @Test("a quoted \"<<\" is an ordinary key, not a merge")
    func quotedMergeKey() {
        let doc = read("base: &b {x: 1}\nm:\n  \"<<\": *b\n  y: 3\n")
        #expect(doc.issues.isEmpty)
        #expect(mapping(mapping(doc.root)[1].value).map(\.key) == ["<<", "y"])
    }

    @Test("aliases expand to the anchored node, located at the alias")
    func aliases() {
        let doc = read("base: &b {x: 1}\ncopy: *b\n")
        #expect(doc.issues.isEmpty)
        let copy = mapping(doc.root)[1].value
        #expect(copy.mark == Mark(line: 2, column: 7))
        #expect(mapping(copy).map(\.key) == ["x"])
    }

    @Test("merge keys fill in keys the mapping does not set")
    func mergeKeys() {
        let doc = read("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n")
        #expect(doc.issues.isEmpty)
        let m = mapping(mapping(doc.root)[1].value)
        #expect(m.map(\.key).sorted() == ["x", "y"])
        if case .scalar(let s)? = m.first(where: { $0.key == "y" })?.value.content { #expect(s.value == .int(3)) }
    }

    @Test("an undefined alias is an issue, not a crash")
    func undefinedAlias() {
        let doc = read("a: *nope\n")
        #expect(doc.issues.map(\.kind) == [.undefinedAlias])
        #expect(doc.issues.first?.mark == Mark(line: 1, column: 4))
    }

    @Test("a billion-laughs file stops at the expansion budget")
    func billionLaughs() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        let clock = ContinuousClock()
        var doc: YAMLDocument?
        let elapsed = clock.measure { doc = read(text) }
        #expect(doc?.root == nil)
        #expect(doc?.issues.last?.kind == .aliasBudgetExceeded)
        #expect(doc?.issues.last?.message.contains("alias expansion") == true)
        #expect(elapsed < .seconds(5), "must fail fast, not expand")
    }

    @Test("syntax errors come out located, from libyaml")
    func syntaxError() {
        let doc = read("a: [1, 2\nb: 3\n")
        #expect(doc.root == nil)
        #expect(doc.issues.count == 1)
        #expect(doc.issues[0].kind == .syntax)
        #expect(doc.issues[0].message.hasPrefix("syntax error: "))
    }

    @Test("tags outside the core schema are refused")
    func tags() {
        let doc = read("a: !!python/object:os.system x\nb: !!str 1\n")
        #expect(doc.issues.map(\.kind) == [.unsupportedTag])
        #expect(doc.issues.first?.message == "unsupported YAML tag \"!!python/object:os.system\"")
    }

    @Test("a core tag must fit its value's text; the message does not repeat the text")
    func tagMismatch() {
        let doc = read("a: !!int static\nb: !!int \"30\"\nc: !!float 1\nd: !!bool yes\ne: !!null ~\nf: !!str 30\ng: !!null x\n")
        #expect(doc.issues.map(\.kind) == [.tagMismatch, .tagMismatch, .tagMismatch])
        #expect(doc.issues.map(\.mark.line) == [1, 4, 7])
        #expect(doc.issues.first?.message == "a value tagged !!int must be an integer")
        #expect(!doc.issues.contains { $0.message.contains("static") || $0.message.contains("yes") })
        guard case .mapping(let entries)? = doc.root?.content else { Issue.record("no mapping"); return }
        #expect(entries.map { entry -> YAMLValue? in
            if case .scalar(let s) = entry.value.content { s.value } else { nil }
        }[1] == .int(30))
    }

    @Test("limits: size, depth, encoding")
    func limits() {
        let small = YAMLReader(maxBytes: 16)
        #expect(small.read(Array(repeating: UInt8(ascii: "a"), count: 17)).issues.map(\.kind) == [.tooLarge])
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(read(deep).issues.map(\.kind) == [.tooDeep])
        #expect(YAMLReader().read([0xFF, 0xFE, 0x61, 0x00]).issues.map(\.kind) == [.encoding])
        #expect(read("a: b\u{0}c\n").issues.map(\.kind) == [.encoding])
    }

    @Test("an empty file has no root and no issue")
    func empty() {
        let doc = read("")
        #expect(doc.root == nil)
        #expect(doc.issues.isEmpty)
    }
}

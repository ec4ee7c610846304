import EstateGenerator
import Foundation
@testable import LocatedYAML
import Testing
import VPNForm

/// A large file's `gateways` cut in two and read on two threads (``YAMLCut``) gives what reading it
/// whole gives, and the cut is refused wherever the text could mislead it.
@Suite struct YAMLCutTests {
    /// 1,000 pairs: about 320 KB, above ``YAMLCut/minimumBytes``.
    static let estate = EstateGenerator(pairs: 1000, connectionsPerGateway: 7, seed: 5).yaml()

    /// Whether the cut is found and holds: both parts read without issues and join.
    func cutHolds(_ text: String, reader: YAMLReader = YAMLReader()) -> Bool {
        let bytes = Array(text.utf8)
        guard let cut = reader.cut(bytes, streamingItemsOf: "gateways") else { return false }
        let first = reader.read(bytes, before: cut, streamingItemsOf: "gateways") { _, _ in true }
        let second = reader.read(bytes, after: cut) { _, _ in true }
        return cut.join(first, second) != nil
    }

    /// The loader's model and diagnostics, the file read on two threads and whole.
    func expectSameReading(_ text: String, reader: YAMLReader = YAMLReader(),
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        let inTwo = DesiredStateLoader(reader: reader, parallel: true).load(bytes: bytes, file: "cut.yaml")
        let whole = DesiredStateLoader(reader: reader).load(bytes: bytes, file: "cut.yaml")
        #expect(inTwo.state == whole.state, sourceLocation: sourceLocation)
        #expect(inTwo.diagnostics == whole.diagnostics, sourceLocation: sourceLocation)
    }

    @Test("a generated estate is cut after its middle; the two parts give the model and marks of one reading")
    func estateCut() throws {
        let bytes = Array(Self.estate.utf8)
        let cut = try #require(YAMLReader().cut(bytes, streamingItemsOf: "gateways"))
        #expect(cut.offset >= bytes.count / 2 && cut.offset < bytes.count)
        #expect(Array(bytes[cut.offset...].prefix(8)) == Array("  - name".utf8))
        #expect(cutHolds(Self.estate))
        expectSameReading(Self.estate)
        let state = try #require(DesiredStateLoader(parallel: true).load(bytes: bytes, file: "e.yaml").state)
        #expect(state.gateways.map(\.index) == Array(state.gateways.indices))
    }

    @Test("findings of the rules in both parts come out as one reading reports them, lines and paths alike")
    func findingsInBothParts() {
        let text = Self.estate.replacingOccurrences(of: "lifetime_seconds: 3600", with: "lifetime_seconds: 3")
            .replacingOccurrences(of: "tier: t1}", with: "tier: \"#1\"}")
        #expect(cutHolds(text))
        expectSameReading(text)
    }

    @Test("CRLF line ends and a list written without indentation are cut too")
    func lineEndsAndIndentation() {
        let crlf = Self.estate.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(cutHolds(crlf))
        expectSameReading(crlf)
        let list = Self.estate.range(of: "\ngateways:\n")!.upperBound
        let indentless = String(Self.estate[..<list]) + Self.estate[list...].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.dropFirst(2) }
            .joined(separator: "\n")
        #expect(indentless.contains("\n- name: "))
        #expect(cutHolds(indentless))
        expectSameReading(indentless)
    }

    @Test("a problem in the second part is found as one reading finds it", arguments: [
        ("style: bgp", "style: bgp\n        colour: blue"),  // unknown key: the decoder's (the cut holds)
        ("style: bgp", "style: bgp\n        style: bgp"),  // duplicate key: the composer's
        ("style: bgp", "style: [bgp"),  // syntax error
    ])
    func problemInSecondPart(replacing: String, with replacement: String) throws {
        let yamlProblem = !replacement.contains("colour")
        let bytes = Self.estate
        let cutAt = try #require(YAMLReader().cut(Array(bytes.utf8), streamingItemsOf: "gateways")).offset
        let head = String(decoding: Array(bytes.utf8)[..<cutAt], as: UTF8.self)
        var tail = String(decoding: Array(bytes.utf8)[cutAt...], as: UTF8.self)
        let range = try #require(tail.range(of: replacing))
        tail.replaceSubrange(range, with: replacement)
        let text = head + tail
        #expect(cutHolds(text) == !yamlProblem)
        expectSameReading(text)
        #expect(!DesiredStateLoader(parallel: true).load(bytes: Array(text.utf8), file: "cut.yaml").diagnostics.isEmpty)
    }

    @Test("a cut is refused where the text could mislead it", arguments: [
        // The list ends before the cut; the candidate line is an item of a later top-level list.
        "moved-after",
        // A top-level block scalar after the list holds lines that look like items.
        "block-scalar",
        // An alias in the second part may name an anchor of the first.
        "alias",
        // A Unicode line separator: libyaml counts it as a line break, the cut's count does not.
        "line-separator",
    ])
    func misleadingText(_ kind: String) {
        let gatewaysEnd = Self.estate.count / 3
        var text: String
        switch kind {
        case "moved-after":
            let head = String(Self.estate.prefix(gatewaysEnd))
            let lastItem = head.range(of: "\n  - name: ", options: .backwards)!.lowerBound
            text = String(head[..<lastItem]) + "\nmoved:\n"
                + String(repeating: "  - {from: a/b, to: c/d}\n", count: 20_000)
        case "block-scalar":
            text = Self.estate + "notes: |\n" + String(repeating: "  - name: not-a-gateway\n", count: 20_000)
        case "alias":
            text = Self.estate.replacingOccurrences(of: "version: 1\n", with: "version: &v 1\n")
                + "  - &g {name: gw-extra, id: 0000000a-0000-4000-8000-0000000fffff, ips: [0000000e-0000-4000-8000-000000000000], connections: []}\n"
                + "  - *g\n"
        default:
            text = Self.estate.replacingOccurrences(of: "version: 1\n", with: "# \u{2028}\nversion: 1\n")
        }
        #expect(!cutHolds(text))
        expectSameReading(text)
    }

    @Test("the depth limit falls where it falls in one reading", arguments: 5...12)
    func depthLimit(maxDepth: Int) {
        // Eight collections deep in the file: the mapping, gateways, a gateway, connections, a
        // connection, tags, and two lists.
        let text = Self.estate.replacingOccurrences(of: "tier: t2}", with: "tier: [[t2]]}")
        let reader = YAMLReader(maxDepth: maxDepth)
        #expect(cutHolds(text, reader: reader) == reader.read(Array(text.utf8)).issues.isEmpty)
        #expect(cutHolds(text, reader: reader) == (maxDepth >= 8))
        expectSameReading(text, reader: reader)
    }

    /// What a reading hands out and reports, as text: the items with their indices, the root, the issues.
    struct Reading: Equatable {
        var items: [String] = []
        var root = ""
        var issues: [String] = []
    }

    /// `node` with every mark and value, as text.
    static func dump(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let s): "\(node.mark)=\(s.value)"
        case .sequence(let items): "\(node.mark)[\(items.map(dump).joined(separator: ","))]"
        case .mapping(let entries):
            "\(node.mark){\(entries.map { "\($0.keyMark)\($0.key)/\($0.keyIsString):\(dump($0.value))" }.joined(separator: ","))}"
        }
    }

    /// Reads `bytes` whole, or cut (`nil` when no cut is found or it does not join).
    static func reading(_ bytes: [UInt8], cut: Bool) -> Reading? {
        let reader = YAMLReader()
        var items: [String] = []
        func take(_ base: Int) -> (YAMLStreamedItem, Int) -> Bool {
            { item, index in
                if case .composed(let node) = item { items.append("\(base + index): \(dump(node))") }
                return false  // recorded items are composed and offered again
            }
        }
        func result(_ d: YAMLDocument) -> Reading {
            Reading(items: items, root: d.root.map(dump) ?? "-", issues: d.issues.map(\.description))
        }
        guard cut else { return result(reader.read(bytes, streamingItemsOf: "gateways", offering: take(0))) }
        guard let cut = reader.cut(bytes, streamingItemsOf: "gateways", minimumBytes: 0) else { return nil }
        let first = reader.read(bytes, before: cut, streamingItemsOf: "gateways", offering: take(0))
        let firstItems = items
        items = []
        let second = reader.read(bytes, after: cut, offering: take(0))
        guard let n = cut.join(first, second) else { return nil }
        items = []
        _ = reader.read(bytes, after: cut, offering: take(n))
        items = firstItems + items
        return result(first)
    }

    @Test("wherever a cut is taken, it reads what one reading reads: thousands of mutated files")
    func mutatedFiles() throws {
        let base = """
            version: 1   # a comment
            defaults: &d {tags: {a: b}}
            note: |
              - name: not an item
            gateways:
              - name: g0
                id: "x"
                text: >
                  folded
                  lines

              - {name: g1, list: [1, 2,
                  3]}
              - name: 'g2'
                more: "two
                  lines"
                # - name: a comment
              - name: g3
                deep: [[[[1]]]]
              - name: g4
                ? complex
                : key
              - name: g5
                block: |+
                  keep

              - name: g6
                plain: a plain
                  scalar on two lines
              - name: g7
                x: y
              - name: g8
                y: 1
              - name: g9
                tags: {site: s9}
            """
        let fragments = ["|\n", "|-\n", "|+\n", ">\n", "|2\n", "  - ", "- ", "\n  - name: x\n", "\"", "'", "[", "]",
                         "{", "}", "#", " #c", "&a ", "*a ", "? ", "---\n", "...\n", "%TAG !e! tag:x,2000:\n", "\r\n",
                         "\r", "\u{2028}", "\u{85}", "\t", ": ", "\n", "\n\n", "    ", "<<: ", "!!str ", "!e!x ",
                         "gateways:\n", "\n- ", "\u{FEFF}", "\nmoved:\n", "\n  -\n"]
        var rng = SplitMix(seed: 15)
        var held = 0
        for _ in 0..<3000 {
            var bytes = Array(base.utf8)
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count + 1))
                if rng.next() % 4 == 0 {
                    bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 4)))
                } else {
                    bytes.insert(contentsOf: Array(fragments[Int(rng.next() % UInt64(fragments.count))].utf8), at: at)
                }
            }
            guard let inTwo = Self.reading(bytes, cut: true) else { continue }
            held += 1
            let whole = try #require(Self.reading(bytes, cut: false))
            #expect(inTwo == whole, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(whole.issues.isEmpty)
        }
        #expect(held > 300, "the cut held in only \(held) of 3,000 files")
    }

    @Test("no cut after a `? key` without a value: libyaml places the value at the next token, which the cut moves")
    func explicitKeyBeforeCut() throws {
        for indent in ["", "  "] {
            let text = "gateways:\n" + (0..<20).map { "\(indent)- name: g\($0)\n\(indent)  ? extra\n" }.joined()
            let bytes = Array(text.utf8)
            let cut = try #require(YAMLReader().cut(bytes, streamingItemsOf: "gateways", minimumBytes: 0))
            #expect(String(decoding: bytes[..<cut.offset], as: UTF8.self).hasSuffix("? extra\n"))
            #expect(Self.reading(bytes, cut: true) == nil)
            #expect(Self.reading(bytes, cut: false)?.issues == [])
        }
    }

    @Test("a small file is not cut")
    func smallFile() {
        let small = EstateGenerator(pairs: 50, connectionsPerGateway: 7, seed: 5).yaml()
        #expect(YAMLReader().cut(Array(small.utf8), streamingItemsOf: "gateways") == nil)
    }
}

/// A small deterministic generator (SplitMix64) for the mutated files.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

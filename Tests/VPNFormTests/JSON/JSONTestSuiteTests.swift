import Foundation
import Testing
import VPNCrypto
@testable import VPNForm

/// nst/JSONTestSuite's `test_parsing/` (Fixtures/JSONTestSuite): every `n_` file is rejected with
/// a location in each place vpnform reads JSON, every `y_` file is read or refused by vpnform's own
/// rules with a located message, and nothing (`i_` files included) crashes.
@Suite struct JSONTestSuiteTests {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("JSONTestSuite/test_parsing")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".json") }.sorted()

    static func bytes(_ name: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))) ?? []
    }

    /// vpnform's own rules on valid JSON: integers only, unique keys, bounded nesting.
    static let ownRules = ["expected an integer", "duplicate key", "nest more than"]

    @Test("the suite is present: 95 y_, 188 n_, 35 i_ files")
    func present() {
        #expect(Self.files.filter { $0.hasPrefix("y_") }.count == 95)
        #expect(Self.files.filter { $0.hasPrefix("n_") }.count == 188)
        #expect(Self.files.filter { $0.hasPrefix("i_") }.count == 35)
    }

    @Test("the scanner accepts exactly the y_ files; its typed reader refuses only by vpnform's rules",
          arguments: files)
    func scanner(_ name: String) {
        let input = Self.bytes(name)
        input.withUnsafeBufferPointer { buffer in
            var checker = JSONScanner(buffer)
            let checked = Result { () throws(JSONReadError) in
                try checker.skipValue()
                try checker.expectEnd()
            }
            var reader = JSONScanner(buffer)
            let read = Result { () throws(JSONReadError) -> JSONValue in
                let v = try reader.value()
                try reader.expectEnd()
                return v
            }
            if name.hasPrefix("y_") {
                #expect(throws: Never.self, "\(name)") { try checked.get() }
                if case .failure(let e) = read {
                    #expect(Self.ownRules.contains { e.message.contains($0) }, "\(name): \(e.message)")
                }
            } else if name.hasPrefix("n_") {
                #expect(throws: JSONReadError.self, "\(name)") { try checked.get() }
                #expect(throws: JSONReadError.self, "\(name)") { try read.get() }
            }
            // The fast path accepts only what the strict reader reads, and only canonical text.
            var fast = JSONScanner(buffer), stripped: [UInt8] = []
            if fast.canonicalContainer(into: &stripped), (try? fast.expectEnd()) != nil {
                guard case .success(let value) = read else {
                    Issue.record("\(name): the fast path accepts what the reader refuses")
                    return
                }
                #expect(Array(value.canonical.utf8) == stripped, "\(name)")
            }
        }
    }

    @Test("as a whole state file: n_ files are located syntax errors; nothing crashes", arguments: files)
    func wholeState(_ name: String) {
        let result = Result { () throws(StateError) in try StateFile.parse(Self.bytes(name), path: name) }
        guard case .failure(let error) = result else {
            Issue.record("\(name): read as a state")
            return
        }
        guard case .malformed(_, let mark, let message) = error else {
            Issue.record("\(name): \(error)")
            return
        }
        #expect(mark.line >= 1 && mark.column >= 1)
        if name.hasPrefix("n_") {
            #expect(!message.contains("not a vpnform state"), "\(name): \(message)")
        }
    }

    @Test("valid JSON that is not an object is not a state, and not a syntax error")
    func notAState() {
        for (text, kind) in [("[]", "an array"), ("  \"x\"\n", "a string"), ("1.5e3", "a number"), ("null", "null")] {
            let m = Self.message { () throws(StateError) in _ = try StateFile.parse(Array(text.utf8), path: "s.json") }
            #expect(m.contains("not a vpnform state: the top level is \(kind)"), "\(m)")
        }
        let m = Self.message { () throws(StateError) in _ = try StateFile.parse(Array("[] []".utf8), path: "s.json") }
        #expect(m.hasPrefix("s.json:1:4: invalid state file: syntax error: expected the end of the file"),
                "\(m)")
    }

    @Test("trailing bytes after a complete document are a located syntax error, in each place")
    func trailingBytes() {
        let state = String(decoding: StateFile(lineage: StateFileTests.lineage).serialized(), as: UTF8.self)
        let m1 = Self.message { () throws(StateError) in
            _ = try StateFile.parse(Array((state + "x").utf8), path: "s.json")
        }
        #expect(m1.hasPrefix("s.json:7:1: invalid state file: syntax error: expected the end of the file"),
                "\(m1)")
        let line = "{\"address\":\"gw0/site0\",\"pair\":null} ,\n"
        let m2 = Self.message { () throws(StateError) in
            _ = try StateJournal.replay(Array(line.utf8), onto: StateFile(lineage: StateFileTests.lineage), path: "j")
        }
        #expect(m2.hasPrefix("j:1:37: invalid state file: syntax error: expected the end of the file, found"),
                "\(m2)")
        let plan = "{\"format_version\": \"1\"}\n{}"
        let m3 = Self.message { () throws(SavedPlan.ReadError) in
            _ = try SavedPlan.parse(Array(plan.utf8), path: "p.json")
        }
        #expect(m3.hasPrefix("p.json:2:1: invalid plan file: syntax error: expected the end of the file"), "\(m3)")
    }

    /// A one-pair state whose spec holds the file's text as the value of an extra first member,
    /// `a`, with the digest recomputed as a hand editor could: over the text with the whitespace
    /// outside strings dropped.
    static func stateWithSpec(holding text: [UInt8]) -> (bytes: [UInt8], specLine: Int) {
        let state = StateFileTests().sampleState(pairs: 1)
        let pretty = String(decoding: state.serialized(), as: UTF8.self)
        let open = pretty.range(of: "\"spec\": {")!
        let close = pretty.range(of: "},\n      \"spec_digest\": \"", range: open.upperBound..<pretty.endIndex)!
        let digestKey = ",\n      \"spec_digest\": \""
        let oldSpec = Array(pretty[open.upperBound..<close.upperBound].dropLast(digestKey.count).utf8)
        let spec = Array("{\"a\": ".utf8) + text + Array(",".utf8) + oldSpec
        let digest = "sha256:" + SHA256.hex(handStripped(spec))
        let digestEnd = pretty.range(of: "\"", range: close.upperBound..<pretty.endIndex)!.lowerBound
        let bytes = Array(pretty[..<open.lowerBound].utf8) + Array("\"spec\": ".utf8) + spec
            + Array(",\n      \"spec_digest\": \"".utf8) + Array(digest.utf8) + Array(pretty[digestEnd...].utf8)
        let specLine = pretty[..<open.lowerBound].filter { $0 == "\n" }.count + 1
        return (bytes, specLine)
    }

    /// The bytes without the whitespace outside strings (a string's end is its next quote that
    /// no backslash escapes).
    static func handStripped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], inString = false, escaped = false
        for b in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                continue
            }
            out.append(b)
        }
        return out
    }

    @Test("inside a spec whose digest was recomputed: n_ files are errors where the text goes wrong", arguments: files)
    func insideSpec(_ name: String) throws {
        let (bytes, specLine) = Self.stateWithSpec(holding: Self.bytes(name))
        let result = Result { () throws(StateError) in try StateFile.parse(bytes, path: "s.json") }
        switch result {
        case .success(let state):
            #expect(!name.hasPrefix("n_"), "\(name): accepted")
            // What is accepted is readable everywhere a spec is used, and round-trips.
            for pair in state.pairs.values {
                #expect(pair.spec.attributes["a"] != nil, "\(name)")
                #expect(pair.spec.changes(to: pair.spec).isEmpty)
            }
            #expect(try StateFile.parse(state.serialized(), path: "again") == state)
        case .failure(let error):
            guard case .malformed(_, let mark, let message) = error else {
                Issue.record("\(name): \(error)")
                return
            }
            // Text that swallows the pair's later members leaves the pair without them.
            #expect(mark.line >= specLine || message.contains("required field is missing"), "\(name): \(error)")
            if name.hasPrefix("y_") {
                // Valid JSON that is not canonical is parsed, canonicalised, and then does not
                // match the digest of its own stripped text.
                let rules = Self.ownRules + ["spec_digest does not match"]
                #expect(rules.contains { message.contains($0) }, "\(name): \(message)")
            } else if name.hasPrefix("n_") {
                #expect(!message.contains("does not match"), "\(name): \(message)")
            }
        }
    }

    @Test("as a journal line after a good one: n_ files are errors on that line or later", arguments: files)
    func journalLine(_ name: String) {
        let state = StateFile(lineage: StateFileTests.lineage)
        let good = Array("{\"address\":\"gw0/site0\",\"pair\":null}\n".utf8)
        let result = Result { () throws(StateError) in
            try StateJournal.replay(good + Self.bytes(name) + [0x0A], onto: state, path: "s.journal")
        }
        guard case .failure(let error) = result, case .malformed(_, let mark, _) = error else {
            Issue.record("\(name): \(result)")
            return
        }
        #expect(mark.line >= 2 && mark.column >= 1, "\(name): \(error)")
    }

    @Test("as a saved plan: n_ files are located errors; nothing crashes", arguments: files)
    func savedPlan(_ name: String) {
        let result = Result { () throws(SavedPlan.ReadError) in try SavedPlan.parse(Self.bytes(name), path: name) }
        guard case .failure(let error) = result, case .invalid(_, let mark, let message) = error else {
            Issue.record("\(name): \(result)")
            return
        }
        #expect(mark.line >= 1 && mark.column >= 1)
        if name.hasPrefix("n_") {
            #expect(!message.contains("not a vpnform plan"), "\(name): \(message)")
        }
    }

    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}

import Foundation
import LocatedYAML
import Testing
import VPNForm

/// The state reader's two paths: the pretty text vpnform writes (checked by stripping whitespace and
/// hashing), and any other valid JSON spelling of the same state (parsed and canonicalised).
@Suite struct StateReaderTests {
    static let lineage = StateFileTests.lineage

    func sample() -> StateFile { StateFileTests().sampleState(pairs: 6) }

    func parse(_ text: String) throws(StateError) -> StateFile { try StateFile.parse(Array(text.utf8), path: "s.json") }

    func message(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "parsed"
        } catch {
            return error.description
        }
    }

    @Test("any JSON spelling of a state reads as the same state: reordered keys, other whitespace, escapes")
    func otherSpellings() throws {
        let state = sample()
        let text = String(decoding: state.serialized(), as: UTF8.self)
        // One line, no spaces at all.
        let compact = String(decoding: try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(text.utf8))), as: UTF8.self)
        #expect(try parse(compact) == state)
        // Keys of a spec in reverse order, tabs and CRLF line ends, and a key spelled with escapes.
        var reordered = text.replacingOccurrences(of: "\"style\": ", with: "\"st\\u0079le\":\t")
            .replacingOccurrences(of: "\n", with: "\r\n")
        reordered = reordered.replacingOccurrences(of: "\"cgw_id\": \"0000000c", with: "\"cgw_id\" : \"0000000c")
        #expect(try parse(reordered) == state)
        // A reversed spec object.
        let pair = state.pairs.values.first { $0.status == .created }!
        let reversed = "{" + pair.spec.attributes.keys.sorted(by: >).map { key in
            "\"\(key)\": \(pair.spec.attributes[key]!.inline)"
        }.joined(separator: ", ") + "}"
        var once = state
        once.pairs = state.pairs.filter { $0.value == pair }
        let single = String(decoding: once.serialized(), as: UTF8.self)
        let start = single.range(of: "\"spec\": {")!.lowerBound, end = single.range(of: "},\n      \"spec_digest\"")!.upperBound
        let swapped = single.replacingCharacters(in: start..<end, with: "\"spec\": \(reversed),\n      \"spec_digest\"")
        #expect(swapped != single)
        #expect(try parse(swapped) == once)
    }

    @Test("a pair's keys and status and a connection's keys read the same with escapes; a repeated pair is refused")
    func keySpellings() throws {
        let state = sample()
        let text = String(decoding: state.serialized(), as: UTF8.self)
        // A status spelled with an escape too.
        let escaped = text.replacingOccurrences(of: "\"status\": \"created\"", with: "\"status\": \"cre\\u0061ted\"")
            .replacingOccurrences(of: "\"status\": ", with: "\"st\\u0061tus\": ")
            .replacingOccurrences(of: "\"name\": ", with: "\"n\\u0061me\": ")
        #expect(escaped != text)
        #expect(try parse(escaped) == state)
        // The same address again, with a body that is wrong or right: the key is what is refused.
        let address = try #require(state.pairs.keys.map(\.rawValue).min())
        let pairAt = try #require(text.range(of: "\n    \"\(address)\": {"))
        let pairEnd = try #require(text.range(of: "\n    }", range: pairAt.upperBound..<text.endIndex))
        let body = String(text[text.index(pairAt.upperBound, offsetBy: -1)..<pairEnd.upperBound])
        let closing = try #require(text.range(of: "\n  },\n  \"version\"", options: .backwards))
        let line = text[..<closing.lowerBound].filter { $0 == "\n" }.count + 2
        for repeated in ["{\"bogus\": 1}", "{", body] {
            let damaged = text.replacingCharacters(in: closing.lowerBound..<closing.lowerBound,
                                                   with: ",\n    \"\(address)\": \(repeated)")
            let error = try #require(throws: StateError.self) { try parse(damaged) }
            #expect(error.message == "invalid state file: duplicate key \"\(address)\"; the file was left untouched",
                    "\(repeated)")
            #expect(error.mark?.line == line && error.mark?.column == 5, "\(repeated): \(error)")
        }
    }

    @Test("a spec_digest is read as any string spelling of it; anything else is located")
    func digestSpellings() throws {
        let state = sample()
        let text = String(decoding: state.serialized(), as: UTF8.self)
        // An escaped spelling of the same text is the same digest.
        let escaped = text.replacingOccurrences(of: "\"spec_digest\": \"sha256:", with: "\"spec_digest\": \"\\u0073ha256:")
        #expect(escaped != text)
        #expect(try parse(escaped) == state)
        // Not a string, upper-case hex, or cut short: refused, at the value or as a mismatch.
        let notString = text.replacingOccurrences(of: "\"spec_digest\": \"sha256:", with: "\"spec_digest\": 7, \"x\": \"")
        #expect(message(notString).contains("spec_digest: expected a string"), "\(message(notString))")
        let pair = try #require(state.pairs.values.first)
        let digest = pair.specDigest.rawValue
        let upper = text.replacingOccurrences(of: digest, with: "sha256:" + digest.dropFirst(7).uppercased())
        #expect(message(upper).contains("spec_digest does not match its spec"), "\(message(upper))")
        let short = text.replacingOccurrences(of: digest, with: String(digest.dropLast()))
        #expect(message(short).contains("spec_digest does not match its spec"), "\(message(short))")
    }

    @Test("a spec's canonical bytes are its attributes in canonical order, for every generated shape")
    func canonicalOrder() {
        for seed in [1, 2, 3] as [UInt64] {
            let desired = generated(60, seed: seed)
            for g in desired.gateways {
                for c in g.connections {
                    let spec = DesiredPair(gateway: g, connection: c).spec
                    #expect(PairSpec(attributes: spec.attributes) == spec, "\(g.name.value)/\(c.name.value)")
                    #expect(spec.canonical == Array(JSONValue.object(spec.attributes).canonical.utf8))
                }
            }
        }
    }

    static let broken: [(String, @Sendable (String) -> String, String)] = [
        ("float in a spec", { $0.replacingOccurrences(of: "\"ipsecpolicy.lifetime_seconds\": 3600", with: "\"ipsecpolicy.lifetime_seconds\": 3600.5") }, "expected an integer"),
        ("space inside a number, digest unchanged", {
            $0.replacingOccurrences(of: "\"ipsecpolicy.lifetime_seconds\": 3600",
                                    with: "\"ipsecpolicy.lifetime_seconds\": 36 00")
        }, "syntax error: expected ',' or '}', found '0'"),
        ("duplicate spec key", { $0.replacingOccurrences(of: "\"style\": \"static\"", with: "\"style\": \"static\", \"style\": \"static\"") }, "duplicate key \"style\""),
        ("unclosed spec", { $0.replacingOccurrences(of: "\"style\": \"static\"", with: "\"style\": [\"static\"") }, "syntax error"),
        ("bad escape", { $0.replacingOccurrences(of: "\"gw0/site0\"", with: "\"gw0/\\qsite0\"") }, "unknown escape"),
        ("lone surrogate", { $0.replacingOccurrences(of: "\"gw0/site0\"", with: "\"gw0/\\ud800\"") }, "lone surrogate"),
        ("raw tab in a string", { $0.replacingOccurrences(of: "\"gw0/site0\"", with: "\"gw0/\tsite0\"") }, "control character"),
        ("leading zero", { $0.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 01") }, "leading zero"),
        ("trailing comma", { $0.replacingOccurrences(of: "\"status\": \"created\"\n", with: "\"status\": \"created\",\n") }, "a key in double quotes"),
        ("trailing text", { $0 + "{}" }, "expected the end of the file"),
        ("single quotes", { $0.replacingOccurrences(of: "\"format\": \"vpnform-state\"", with: "'format': 'vpnform-state'") }, "a key in double quotes"),
        ("a created pair without ids", { $0.replacingOccurrences(of: "\"id\": \"0000000f-0000-4000-8000-000000000000\", ", with: "") }, "needs its id"),
        ("three connections", { $0.replacingOccurrences(of: "\"connections\": [\n", with: "\"connections\": [\n        {\"name\": \"x\", \"vgw_ip\": \"y\"},\n") }, "1 or 2 connections"),
    ]

    @Test("malformed JSON and spec problems are located errors", arguments: broken.indices)
    func brokenFiles(_ i: Int) {
        let (name, damage, expected) = Self.broken[i]
        let text = String(decoding: sample().serialized(), as: UTF8.self)
        let damaged = damage(text)
        #expect(damaged != text, "\(name): the damage applies")
        let m = message(damaged)
        #expect(m.contains(expected), "\(name): \(m)")
        #expect(m.hasPrefix("s.json:"), "\(name): \(m)")
    }

    @Test("errors name the line and the column in characters")
    func location() {
        let text = "{\n  \"format\": \"vpnform-state\",\n  \"lineage\": \"é\u{301}\", \"x\": 1\n}"
        #expect(message(text).hasPrefix("s.json:3:20: invalid state file: the state: unknown key \"x\""), "\(message(text))")
    }

    @Test("values of the wrong kind are located at the value")
    func wrongKinds() {
        let l = Self.lineage
        #expect(message("{\"format\": \"tf\", \"lineage\": \"\(l)\", \"pairs\": {}, \"version\": 1}").hasPrefix("s.json:1:12: invalid state file: format: expected \"vpnform-state\""))
        #expect(message("{\"format\": \"vpnform-state\", \"lineage\": \"x\", \"pairs\": {}, \"version\": 1}").hasPrefix("s.json:1:40: invalid state file: lineage: expected a UUID"))
        #expect(message("{\"format\": \"vpnform-state\", \"version\": true}").hasPrefix("s.json:1:40: invalid state file: version: expected an integer"))
        #expect(message("{\"format\": \"vpnform-state\", \"version\": 1.5}").contains("version: expected an integer"))
    }

    @Test("a file of another version is reported as such, whatever its shape")
    func otherVersion() {
        #expect(message("{\"format\": \"vpnform-state\", \"version\": 2, \"pairs\": [1, 2]}").contains("version 2 is not supported"))
        #expect(message("{\"version\": 1, \"pairs\": [1, 2]}").contains("pairs: expected an object"))
    }

    @Test("deep nesting is refused, not a crash")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000)
        let text = "{\"format\": \"vpnform-state\", \"version\": 1, \"lineage\": \"\(Self.lineage)\", \"pairs\": {\"a/b\": {\"spec\": {\"a\": \(deep)"
        #expect(message(text).contains("nest more than"))
    }
}

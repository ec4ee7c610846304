import Testing
@testable import VPNForm

/// What the state reader does to spare a String per value or key: a repeated value shared only
/// when its text spells it, and keys matched on their bytes with the same outcome as text.
@Suite struct JSONScannerSharingTests {
    /// The strings of a JSON array, each read with `string(reusing:)` after the one before.
    func reused(_ json: String) throws -> [String] {
        let bytes = Array(json.utf8)
        return try bytes.withUnsafeBufferPointer { b in
            var s = JSONScanner(b), previous = "", values: [String] = [], first = true
            try s.expect(UInt8(ascii: "["))
            while try s.nextElement(&first) { values.append(try s.string(reusing: &previous)) }
            return values
        }
    }

    @Test("a repeated value is the previous one only when its text spells it without escapes")
    func reusing() throws {
        // `"a\\n"` is a, backslash, n: the next text's bytes are the same, its value is not.
        #expect(try reused(#"["a\\n", "a\n", "a\n", "b", "b", "é", "é", ""]"#)
            == ["a\\n", "a\n", "a\n", "b", "b", "é", "é", ""])
    }

    enum Fruit: String, CaseIterable { case apple, pearTree = "pear_tree" }

    /// Each key of an object, as a known key or as text.
    func keys(_ json: String) throws -> [String] {
        let bytes = Array(json.utf8)
        return try bytes.withUnsafeBufferPointer { b in
            var s = JSONScanner(b), out: [String] = [], first = true
            try s.expect(UInt8(ascii: "{"))
            while let (key, text, _) = try s.nextKey(&first, in: KnownKeys<Fruit>()) {
                out.append("\(key.map { "\($0)" } ?? "-")/\(text ?? "-")")
                try s.skipValue(depth: 1)
            }
            return out
        }
    }

    @Test("a known key is matched however it is spelled; an unknown key is returned as its text")
    func knownKeys() throws {
        #expect(try keys(#"{"apple": 1, "pear\u005ftree": 2, "pear_tree": 3, "plum": 4, "appl\u00e9": 5}"#)
            == ["apple/-", "pearTree/pear_tree", "pearTree/-", "-/plum", "-/applé"])
    }

    @Test("a pair's key spelled with escapes counts, and repeating it is a duplicate")
    func escapedPairKey() throws {
        let state = StateFileTests().sampleState(pairs: 2)
        let text = String(decoding: state.serialized(), as: UTF8.self)
        let escaped = text.replacingOccurrences(of: "\"gateway_id\": \"0000000a",
                                                with: "\"gateway\\u005fid\": \"0000000a")
        #expect(escaped != text)
        #expect(try StateFile.parse(Array(escaped.utf8), path: "s.json") == state)
        let twice = text.replacingOccurrences(of: "\"status\": ", with: "\"st\\u0061tus\": \"created\", \"status\": ")
        #expect { try StateFile.parse(Array(twice.utf8), path: "s.json") } throws: {
            "\($0)".contains("duplicate key \"status\"")
        }
    }
}

/// The writer's eight-bytes-at-a-time test for bytes to escape, against the byte-by-byte one.
@Suite struct JSONWriterEscapeTests {
    @Test("a byte to escape is found at any place, beside any other byte", arguments: 0..<20)
    func escapeAt(_ position: Int) {
        let fillers: [UInt8] = [UInt8(ascii: "a"), 0x20, 0x7F, 0x80, 0xC3, 0xFF, 0x21, 0x5B, 0x5D, 0x1F + 0x40]
        for special in [0x00, 0x01, 0x0A, 0x1F, 0x22, 0x5C, 0x20, 0x23, 0x5B, 0x5D, 0x80, 0xA2, 0xDC, 0xFF] as [UInt8] {
            for filler in fillers {
                var bytes = [UInt8](repeating: filler, count: 20)
                bytes[position] = special
                let expected = bytes.contains(where: JSONWriter.needsEscape)
                #expect(bytes.withUnsafeBufferPointer(JSONWriter.containsEscape) == expected, "\(special) at \(position)")
                let prefix = Array(bytes[..<(position + 1)])
                #expect(prefix.withUnsafeBufferPointer(JSONWriter.containsEscape) == prefix.contains(where: JSONWriter.needsEscape))
            }
        }
    }
}

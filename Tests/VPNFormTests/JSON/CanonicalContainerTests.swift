import Testing
@testable import VPNForm

/// The state reader's fast path: canonical JSON only, whatever the position of a special byte in
/// a string (it scans strings eight bytes at a time).
@Suite struct CanonicalContainerTests {
    func fast(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { b in
            var s = JSONScanner(b), out: [UInt8] = []
            return s.canonicalContainer(into: &out) && (try? s.expectEnd()) != nil ? out : nil
        }
    }

    /// `(inserted bytes, accepted)`: accepted ones are canonical, the others are not (or not JSON).
    static let specials: [([UInt8], Bool)] = [
        (Array("é".utf8), true), (Array("\\n".utf8), true), (Array("\\\"".utf8), true), (Array("\\\\".utf8), true),
        ([0x01], false), ([0x7F], true), ([0x80], false), ([0xC3], false), ([0xED, 0xA0, 0x80], false),
        (Array("\\u0041".utf8), false), (Array("\\/".utf8), false), ([0xF4, 0x90, 0x80, 0x80], false),
    ]

    @Test("a special byte anywhere in a string, in or across 8-byte windows", arguments: 0..<20)
    func specialAt(_ position: Int) {
        for (inserted, accepted) in Self.specials {
            let body = Array(repeating: UInt8(ascii: "a"), count: position) + inserted
                + Array(repeating: UInt8(ascii: "b"), count: 11)
            let text = Array("{\"k\": \"".utf8) + body + Array("\"}".utf8)
            let result = fast(text)
            #expect((result != nil) == accepted, "\(inserted) at \(position)")
            if let result { #expect(result == Array("{\"k\":\"".utf8) + body + Array("\"}".utf8)) }
        }
    }

    @Test("non-canonical JSON is left to the strict reader", arguments: [
        "{\"b\": 1, \"a\": 2}", "{\"a\": 1, \"a\": 1}", "{\"a\": 1.5}", "{\"a\": -0}", "{\"a\": 01}", "{\"a\": 1e2}",
        "{\"a\": 1234567890123456789}", "{\"a\": [1,]}", "{\"a\": 6 0}", "{\"a\": tru}", "{\"\\u0061\": 1}",
        "{\"a\" 1}",
    ])
    func refused(_ text: String) {
        #expect(fast(Array(text.utf8)) == nil, "\(text)")
    }

    @Test("canonical JSON with whitespace between tokens is accepted without it")
    func accepted() {
        let text = """
            {
              "a": [1, -2, true, false, null, "x y"],
              "b": {"c": {}, "d": []},
              "é": 123456789012345678
            }
            """
        let canonical = #"{"a":[1,-2,true,false,null,"x y"],"b":{"c":{},"d":[]},"é":123456789012345678}"#
        #expect(fast(Array(text.utf8)) == Array(canonical.utf8))
    }
}

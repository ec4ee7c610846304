import Testing
@testable import VPNForm

/// ``CanonicalObject`` writes into a buffer of its own; what it writes must be exactly what
/// ``JSONWriter`` writes for the same object (the bytes a spec's digest hashes).
struct CanonicalObjectTests {
    private func written(_ write: (inout CanonicalObject) -> Void, capacity: Int = 1024) -> String {
        var o = CanonicalObject(capacity: capacity)
        write(&o)
        return String(decoding: o.finish(), as: UTF8.self)
    }

    /// Starts a member whose key is `key`, as a writer that built its keys once does.
    private func key(_ key: String, _ o: inout CanonicalObject) {
        CanonicalObject.written(key: key).withUnsafeBufferPointer { o.key(written: $0) }
    }

    private func reference(_ members: [String: JSONValue]) -> String {
        var w = JSONWriter(style: .compact)
        w.write(.object(members))
        return w.text
    }

    @Test("integers, booleans and strings needing escapes are written as JSONWriter writes them")
    func sameAsJSONWriter() {
        let text = "quote \" backslash \\ tab \t newline \n bell \u{7} é 中"
        let got = written { o in
            key("a", &o)
            o.append("false")
            for (name, value) in [("b", Int.min), ("c", 0), ("d", Int.max), ("e", -7)] {
                key(name, &o)
                o.int(value)
            }
            key("f \"key\"", &o)
            o.string(text)
            key("g", &o)
            o.stringArray(["x", "", text].map { Located($0, at: Mark(line: 1, column: 1)) })
            o.string("h", "literal key")
        }
        let want = reference([
            "a": .bool(false), "b": .int(Int.min), "c": .int(0), "d": .int(Int.max), "e": .int(-7),
            "f \"key\"": .string(text), "g": .array([.string("x"), .string(""), .string(text)]),
            "h": .string("literal key"),
        ])
        #expect(got == want)
    }

    @Test("integers at each change in their number of digits")
    func integerDigits() {
        let values = [9, 10, 99, 100, -1, -9, -10, Int.max / 10, Int.min / 10]
        let keys = values.indices.map { "k\($0)" }
        let got = written { o in
            for (name, value) in zip(keys, values) {
                key(name, &o)
                o.int(value)
            }
        }
        #expect(got == reference(Dictionary(uniqueKeysWithValues: zip(keys, values.map(JSONValue.int)))))
    }

    @Test("a key built once is escaped, and so is a string's body")
    func escapedKeysAndBodies() {
        let got = written { o in
            key("connections[0].vgw_ip", &o)
            o.string("${a\u{1}}")
            key("connections[12].h\u{1}", &o)
            o.append("\"${")
            o.stringBody("a\u{1}")
            o.append("}\"")
        }
        let want = reference([
            "connections[0].vgw_ip": .string("${a\u{1}}"), "connections[12].h\u{1}": .string("${a\u{1}}"),
        ])
        #expect(got == want)
    }

    @Test("a field enum's value is copied as it is: no spelling of the API's needs an escape")
    func fieldEnums() {
        let types: [any FieldEnum.Type] = [
            ConnectionStyle.self, HARole.self, IKEVersion.self, Phase1NegotiationMode.self,
            AuthenticationAlgorithm.self, EncryptionAlgorithm.self, DHGroup.self, PFSGroup.self,
            IKEAuthenticationMethod.self, IdentityType.self, DPDMessageOrder.self, TransformProtocol.self,
            EncapsulationMode.self,
        ]
        func spellings<E: FieldEnum>(_ type: E.Type) -> [String] { E.spellings }
        for type in types {
            for spelling in spellings(type) {
                var plain = spelling
                #expect(plain.withUTF8 { !JSONWriter.containsEscape($0) }, "\(spelling)")
            }
        }
        let got = written { o in
            o.string("a", DHGroup.group16)
            o.string("b", ConnectionStyle.static)
        }
        #expect(got == reference(["a": .string("group16"), "b": .string("static")]))
    }

    @Test("an object larger than the buffer grows it, and reset empties it for the next")
    func growsAndResets() {
        let long = String(repeating: "0123456789", count: 50)
        var o = CanonicalObject(capacity: 16)
        for round in 0..<3 {
            o.reset()
            for i in 0..<20 {
                key("k\(i + 10)", &o)
                o.string("\(round)\(long)")
            }
            o.close()
            let members = Dictionary(uniqueKeysWithValues: (0..<20).map {
                ("k\($0 + 10)", JSONValue.string("\(round)\(long)"))
            })
            #expect(o.withBytes { String(decoding: $0, as: UTF8.self) } == reference(members))
        }
        #expect(written({ _ in }, capacity: 0) == "{}")
    }
}

/// ``CanonicalString/end(in:from:)`` skips escaped quotes, however many backslashes precede them.
struct CanonicalStringTests {
    @Test("the closing quote is the first one not escaped", arguments: [
        (#""plain",1"#, 6),
        (#""a\"b",1"#, 5),
        (#""a\\",1"#, 4),
        (#""a\\\"b\\\\",1"#, 11),
        (#""",1"#, 1),
        (#""\"\"\\\""x"#, 9),
    ])
    func end(json: String, close: Int) {
        let bytes = Array(json.utf8)
        let found = bytes.withUnsafeBufferPointer { CanonicalString.end(in: $0, from: 1) }
        #expect(found == close, "\(json)")
    }

    @Test("every string the writer escapes, at every offset and length around eight bytes, ends where it ends")
    func writtenStrings() {
        let pieces = ["a", "\"", "\\", "\n", "\u{1}", "é", "\u{7F}", "~", "\u{22}\u{22}", "\\\""]
        for length in 0..<20 {
            for variant in 0..<pieces.count {
                // A body of `length` pieces, then a member after it, at each offset from a start of the bytes.
                let body = (0..<length).map { pieces[($0 * 7 + variant) % pieces.count] }.joined()
                var writer = JSONWriter(style: .compact)
                writer.string(body)
                let quoted = writer.bytes
                for offset in 0..<9 {
                    let bytes = Array(repeating: UInt8(ascii: " "), count: offset) + quoted + Array(#","x":1}"#.utf8)
                    let found = bytes.withUnsafeBufferPointer { CanonicalString.end(in: $0, from: offset + 1) }
                    #expect(found == offset + quoted.count - 1, "\(body.debugDescription) at \(offset)")
                }
            }
        }
    }
}

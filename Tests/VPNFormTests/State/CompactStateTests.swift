import Foundation
import Testing
import VPNCrypto
@testable import VPNForm

/// How a state holds its pairs compactly: specs split into a shared layout and their values, ids in
/// 16 bytes. Each form must give back exactly the bytes and text it was made from.
@Suite struct CompactStateTests {
    /// `text` (canonical JSON) as the state reader keeps it: its values noted by the fast path (or,
    /// for what that path leaves to the slow one, such as an escaped key, by the slow path's
    /// ``PairSpec/noteValueBounds(of:into:)``), then compacted.
    func compacted(_ text: String, layouts: inout SpecLayouts) -> PairSpec? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = [], bounds: [UInt32] = [], slow: [UInt32] = []
        let accepted = bytes.withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            return s.canonicalContainer(into: &out, valueBounds: &bounds)
        }
        bytes.withUnsafeBufferPointer { PairSpec.noteValueBounds(of: $0, into: &slow) }
        if accepted {
            guard out == bytes, bounds == slow else { return nil }
        } else {
            bounds = slow
        }
        let digest = SHA256.digest(bytes)
        return bytes.withUnsafeBufferPointer { b in
            bounds.withUnsafeBufferPointer { v in
                digest.withUnsafeBytes { d in
                    layouts.compact(b, valueBounds: v, digest: d).map(PairSpec.init(compact:))
                }
            }
        }
    }

    static let specs = [
        "{}",
        #"{"a":1}"#,
        #"{"a":"x","b":[1,{"c":"}"}],"d":{"e":",","f":null},"g":true,"h":-12}"#,
        #"{"k\"ey":"v\\al\"ue","psk":"${P}","tags":{"a":"b"}}"#,
        #"{"a":"","b":[],"c":{}}"#,
        #"{"z":"\n","é":"ü"}"#,
    ]

    @Test("a compact spec gives back its canonical bytes, its digest, and compares equal to the whole spec",
          arguments: specs)
    func roundTrip(_ text: String) throws {
        var layouts = SpecLayouts()
        let spec = try #require(compacted(text, layouts: &layouts))
        let whole = PairSpec(canonical: Array(text.utf8))
        #expect(spec.canonical == Array(text.utf8))
        #expect(spec == whole && whole == spec)
        #expect(spec.digest == whole.digest)
        #expect(Array(text.utf8).withUnsafeBufferPointer { spec.hasCanonical($0) })
        #expect(spec.attributes == whole.attributes)
    }

    @Test("specs of the same keys share a layout; specs that differ in a value or a key are not equal")
    func sharing() throws {
        var layouts = SpecLayouts(), other = SpecLayouts()
        let a = try #require(compacted(#"{"a":"1","b":[2]}"#, layouts: &layouts))
        let b = try #require(compacted(#"{"a":"1","b":[3]}"#, layouts: &layouts))
        let c = try #require(compacted(#"{"a":"1","c":[2]}"#, layouts: &layouts))
        let a2 = try #require(compacted(#"{"a":"1","b":[2]}"#, layouts: &other))
        guard case .compact(let x) = a.storage, case .compact(let y) = b.storage,
              case .compact(let z) = c.storage else { Issue.record("not compact"); return }
        #expect(x.layout === y.layout)
        #expect(x.layout !== z.layout)
        #expect(a != b && a != c && b != c)
        #expect(a == a2)  // another reader's layout: compared byte for byte
        // A value the length of another's key and punctuation must not line up by accident.
        let d = try #require(compacted(#"{"a":"1,\"b\":","b":[2]}"#, layouts: &layouts))
        #expect(d != a)
    }

    @Test("more layouts than are checked first are still shared, and found again")
    func manyLayouts() throws {
        var layouts = SpecLayouts()
        var first: [PairSpec] = []
        for round in 0..<2 {
            for k in 0..<20 {
                let spec = try #require(compacted("{\"k\(k)\":\(round)}", layouts: &layouts))
                #expect(spec.canonical == Array("{\"k\(k)\":\(round)}".utf8))
                if round == 0 {
                    first.append(spec)
                } else if case .compact(let x) = spec.storage, case .compact(let y) = first[k].storage {
                    #expect(x.layout === y.layout, "k\(k)")
                }
            }
        }
    }

    @Test("a spec too large for 16-bit offsets is kept whole, and reads and writes back unchanged")
    func largeSpecKeptWhole() throws {
        var state = StateFileTests().sampleState(pairs: 2)
        let address = try #require(state.pairs.keys.sorted().first)
        var attributes = state.pairs[address]!.spec.attributes
        attributes["peer_subnets"] = .array((0..<7000).map { .string("10.\($0 / 256).\($0 % 256).0/24") })
        state.pairs[address]!.spec = PairSpec(attributes: attributes)
        #expect(state.pairs[address]!.spec.canonical.count > 65535)
        let bytes = state.serialized()
        let read = try StateFile.parse(bytes, path: "s.json")
        #expect(read == state)
        #expect(read.serialized() == bytes)
    }

    @Test("every pair of a state reads back compactly and writes back byte for byte")
    func stateRoundTrip() throws {
        let state = StateFileTests().sampleState(pairs: 40)
        let bytes = state.serialized()
        let read = try StateFile.parse(bytes, path: "s.json")
        #expect(read == state)
        #expect(read.serialized() == bytes)
        for (address, pair) in read.pairs {
            guard case .compact = pair.spec.storage else { Issue.record("\(address) kept whole"); continue }
            #expect(pair.specDigest == state.pairs[address]?.spec.digest)
            #expect(pair.cgwID == state.pairs[address]?.cgwID)
            #expect(pair.connections == state.pairs[address]?.connections)
        }
    }

    @Test("an id is held in 16 bytes only when it is a lower-case UUID, and always gives back its text",
          arguments: ["0000000f-0000-4000-8000-000000000001", "abcdef01-2345-6789-abcd-ef0123456789",
                      "ABCDEF01-2345-6789-abcd-ef0123456789", "not-a-uuid", "", "0000000f-0000-4000-8000-00000000000g",
                      "0000000f-0000-4000-8000_000000000001", "0000000f-0000-4000-8000-0000000000011"])
    func ids(_ text: String) {
        let id = CompactIDText(text)
        #expect(id.text == text)
        #expect(id == CompactIDText(text))
        let packed = Array(text.utf8).withUnsafeBufferPointer { CompactIDText(lowerCaseUUID: $0) }
        let isLowerUUID = text.count == 36 && text == text.lowercased() && text.utf8.allSatisfy { $0 < 0x80 }
            && UUID(uuidString: text) != nil
        #expect((packed != nil) == isLowerUUID)
        if let packed { #expect(packed == id && packed.text == text) }
        var record = ConnectionRecord(id: ConnectionID(text), name: "n", vgwIP: "ip", createdAt: nil)
        #expect(record.id?.rawValue == text && record.hasID)
        record.id = nil
        #expect(record.id == nil && !record.hasID)
    }

    @Test("a UUID is packed only when each of its 32 digits is 0-9 or a-f, and gives back its text",
          arguments: Array(0..<36))
    func uuidDigit(_ position: Int) {
        let valid = Array("0123abcd-ef45-6789-9876-543210fedcba".utf8)
        let isDigit = { (b: UInt8) in (0x30...0x39).contains(b) || (0x61...0x66).contains(b) }
        for b in 0...UInt8.max {
            var text = valid
            text[position] = b
            let packed = text.withUnsafeBufferPointer { CompactIDText(lowerCaseUUID: $0) }
            let expected = [8, 13, 18, 23].contains(position) ? b == UInt8(ascii: "-") : isDigit(b)
            #expect((packed != nil) == expected, "\(b) at \(position)")
            if let packed { #expect(Array(packed.text.utf8) == text) }
        }
    }

    @Test("the fast path notes where each member's value lies, whatever the whitespace")
    func valueBounds() throws {
        let text = "{ \"a\" : 1 ,\n  \"b\": [ 1, 2 ],\t\"c\":\"x y\" }"
        var out: [UInt8] = [], bounds: [UInt32] = []
        let ok = Array(text.utf8).withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            return s.canonicalContainer(into: &out, valueBounds: &bounds)
        }
        #expect(ok)
        let values = stride(from: 0, to: bounds.count, by: 2).map {
            String(decoding: out[Int(bounds[$0])..<Int(bounds[$0 + 1])], as: UTF8.self)
        }
        #expect(values == ["1", "[1,2]", "\"x y\""])
        let array = Array("[1, {\"a\": 2}]".utf8).withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            return s.canonicalContainer(into: &out, valueBounds: &bounds)
        }
        #expect(array && bounds.isEmpty)
    }

    @Test("a text many times the fast path's staging size, and a run longer than it, come out whole, bounds right",
          arguments: [100, 4090, 4096, 4097, 9000])
    func longTexts(_ length: Int) throws {
        let long = String(repeating: "x", count: length)
        let members = (0..<300).map { "\"k\(1000 + $0)\": [\"\($0)\", \($0)]" }.joined(separator: ",\n  ")
        let text = "{\n  \"a\": \"\(long)\",\n  \(members),\n  \"z\": \"\(long)\"\n}"
        var out: [UInt8] = [], bounds: [UInt32] = []
        let ok = Array(text.utf8).withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            return s.canonicalContainer(into: &out, valueBounds: &bounds)
        }
        try #require(ok)
        let stripped = "{\"a\":\"\(long)\"," + (0..<300).map { "\"k\(1000 + $0)\":[\"\($0)\",\($0)]" }.joined(separator: ",")
            + ",\"z\":\"\(long)\"}"
        #expect(out == Array(stripped.utf8))
        var expected: [UInt32] = []
        out.withUnsafeBufferPointer { PairSpec.noteValueBounds(of: $0, into: &expected) }
        #expect(bounds == expected && bounds.count == 2 * 302)
    }

    @Test("a desired pair's connections are its spec's names and gateway IPs, tunnel names included")
    func desiredConnections() {
        for seed in [1, 2] as [UInt64] {
            let desired = generated(60, seed: seed)
            for g in desired.gateways {
                for c in g.connections {
                    let pair = DesiredPair(gateway: g, connection: c)
                    let expected = zip(g.apiNames(of: c), g.ips.value).map {
                        ConnectionRecord(id: nil, name: $0.value, vgwIP: $1.value, createdAt: nil)
                    }
                    #expect(pair.connections == expected, "\(g.name.value)/\(c.name.value)")
                }
            }
        }
        let escaped = PairSpec(attributes: [
            "connections[0].name": .string("a\"b"), "connections[0].vgw_ip": .string("ip"),
            "connections[1].name": .string("c"), "connections[1].vgw_ip": .string("ip2"),
            "connections[10].namex": .string("no"),
        ])
        #expect(escaped.connectionRecords == [ConnectionRecord(id: nil, name: "a\"b", vgwIP: "ip", createdAt: nil),
                                              ConnectionRecord(id: nil, name: "c", vgwIP: "ip2", createdAt: nil)])
    }
}

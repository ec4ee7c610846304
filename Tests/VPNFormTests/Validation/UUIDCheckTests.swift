@testable import VPNValues
import Testing

/// ``ValueRules/isUUID(_:)`` against the position-by-position check it replaced, over near misses.
@Suite struct UUIDCheckTests {
    /// The former check: a dash at 8, 13, 18 and 23, `0-9 a-f A-F` everywhere else.
    static func reference(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !ValueRules.isHex(c) {
                return false
            }
        }
        return true
    }

    @Test func sameAsBefore() {
        let valid = ["8030f6d6-32a8-4d20-a7f8-50a7a826e2f8", "8030F6D6-32A8-4D20-A7F8-50A7A826E2F8",
                     "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"]
        // Every byte value at every position of a valid id, and dropped or doubled bytes.
        var texts: [String] = valid + ["", "-", String(repeating: "a", count: 36), String(repeating: "-", count: 36)]
        for v in valid.prefix(2) {
            let b = Array(v.utf8)
            for i in b.indices {
                for c in UInt8(0)...UInt8(127) {
                    var m = b
                    m[i] = c
                    texts.append(String(decoding: m, as: UTF8.self))
                }
                var shorter = b
                shorter.remove(at: i)
                texts.append(String(decoding: shorter, as: UTF8.self))
                var longer = b
                longer.insert(b[i], at: i)
                texts.append(String(decoding: longer, as: UTF8.self))
            }
            texts.append(v.replacingOccurrences(of: "a", with: "é"))
        }
        var accepted = 0
        for t in texts {
            #expect(ValueRules.isUUID(t) == Self.reference(t), "\(t)")
            if ValueRules.isUUID(t) { accepted += 1 }
        }
        #expect(accepted > 1_000 && accepted < texts.count / 2)
    }
}

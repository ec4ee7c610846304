@testable import VPNValues
import Testing

/// The byte-indexed parsers of `String`s against the generic ones they replaced on that path, which
/// still parse every other `StringProtocol`: both must accept and refuse exactly the same texts.
@Suite struct IPv4ParseTests {
    /// Near misses of addresses and blocks: every shape the generic parser refuses, mixed with valid ones.
    static func corpus() -> [String] {
        var texts = [
            "", "/", "0.0.0.0", "0.0.0.0/0", "255.255.255.255/32", "1.2.3.4/33", "1.2.3.4/05", "1.2.3.4/00",
            "1.2.3.4//5", "1.2.3.4/5/", "1.2.3.4/", "/24", "1.2.3/24", "1.2.3.4.5/24", "01.2.3.4/8", "1.2.3.04/8",
            "1.2.3.256/8", "1.2.3.1000/8", "1.2..3/8", ".1.2.3/8", "1.2.3./8", "1.2.3.4 /8", " 1.2.3.4/8",
            "1.2.3.4/+8", "1.2.3.4/-0", "1.2.3.4/٨", "１.2.3.4/8", "10.0.0.0/8/8", "0.0.0.00/0", "00.0.0.0",
            "999.1.1.1", "1.2.3.4", "1.2.3.4.", "1.2.3.4/3x", "1.2.3.4/x3", "255.255.255.255/320",
        ]
        let alphabet = Array("0123456789./ a".utf8)
        var random = SplitMix64(seed: 15)
        for _ in 0..<20_000 {
            let length = Int(random.next() % 20)
            texts.append(String(decoding: (0..<length).map { _ in alphabet[Int(random.next() % 14)] }, as: UTF8.self))
        }
        for _ in 0..<20_000 {  // valid blocks with one byte changed, dropped or doubled
            let octets = (0..<4).map { _ in String(random.next() % (random.next() % 2 == 0 ? 10 : 300)) }
            var bytes = Array((octets.joined(separator: ".") + "/\(random.next() % 40)").utf8)
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 4 {
            case 0: bytes[at] = alphabet[Int(random.next() % 14)]
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(bytes[at], at: at)
            default: break
            }
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
        return texts
    }

    @Test func blocksParseAsBefore() {
        var accepted = 0
        for text in Self.corpus() {
            let before = IPv4CIDR.parse(Array(text.utf8)), after = IPv4CIDR(text)
            #expect(before?.0 == after?.address.value && before?.1 == after?.prefix, "\(text)")
            if after != nil { accepted += 1 }
        }
        #expect(accepted > 5_000)  // the corpus holds both kinds
    }

    @Test func addressesParseAsBefore() {
        var accepted = 0
        for text in Self.corpus() {
            for candidate in [text, String(text.split(separator: "/", omittingEmptySubsequences: false).first ?? "")] {
                let before = IPv4Address.parse(Array(candidate.utf8)), after = IPv4Address(candidate)
                #expect(before == after?.value, "\(candidate)")
                if after != nil { accepted += 1 }
            }
        }
        #expect(accepted > 5_000)
    }
}

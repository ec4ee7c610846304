import Testing
@testable import VPNForm

/// The scanner's strings, which it scans eight bytes at a time: a special byte is found wherever it
/// falls in or across the eight-byte windows.
@Suite struct JSONScannerStringTests {
    /// `(inserted bytes, decoded bytes or nil when the string is refused)`.
    static let specials: [([UInt8], [UInt8]?)] = [
        (Array("é".utf8), Array("é".utf8)), (Array("\\n".utf8), [0x0A]), (Array("\\\"".utf8), [0x22]),
        (Array("\\\\".utf8), [0x5C]), (Array("\\u0041".utf8), [0x41]), (Array("\\/".utf8), [0x2F]),
        ([0x01], nil), ([0x1F], nil), ([0x7F], [0x7F]), ([0x80], nil), ([0xC3], nil), ([0xED, 0xA0, 0x80], nil),
        (Array("\\x".utf8), nil),
    ]

    @Test("the first special byte of a word is where its mask's lowest bit says, whatever follows it",
          arguments: 0..<8)
    func specialMask(_ position: Int) {
        let isSpecial = { (b: UInt8) in b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 }
        // Before `position`, plain bytes; at it, every byte; after it, bytes that may set borrows.
        let fills: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xFF]
        for b in 0...UInt8.max {
            for fill in fills {
                var word = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                word[position] = b
                for k in (position + 1)..<8 { word[k] = fill }
                let w = word.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                let mask = JSONScanner.specialBytes(w)
                let first = word.firstIndex(where: isSpecial)
                #expect((mask == 0) == (first == nil), "\(word)")
                if let first { #expect(mask.trailingZeroBitCount >> 3 == first, "\(word)") }
            }
        }
    }

    @Test("a special byte anywhere in a string, in or across 8-byte windows", arguments: 0..<20)
    func specialAt(_ position: Int) {
        for (inserted, decoded) in Self.specials {
            let before = Array(repeating: UInt8(ascii: "a"), count: position)
            let after = Array(repeating: UInt8(ascii: "b"), count: 11)
            let text = [UInt8(ascii: "\"")] + before + inserted + after + [UInt8(ascii: "\""), UInt8(ascii: " ")]
            let result: [UInt8]? = text.withUnsafeBufferPointer { b in
                var s = JSONScanner(b)
                guard let value = try? s.string() else { return nil }
                #expect(s.offset == text.count - 1, "\(inserted) at \(position)")
                return Array(value.utf8)
            }
            #expect(result == decoded.map { before + $0 + after }, "\(inserted) at \(position)")
        }
    }

    @Test("a string that is not closed is an error wherever the text ends", arguments: 0..<20)
    func unclosed(_ length: Int) {
        let text = [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "a"), count: length)
        let failed = text.withUnsafeBufferPointer { b in
            var s = JSONScanner(b)
            return (try? s.string()) == nil
        }
        #expect(failed)
    }
}

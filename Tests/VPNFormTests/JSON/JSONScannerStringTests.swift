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

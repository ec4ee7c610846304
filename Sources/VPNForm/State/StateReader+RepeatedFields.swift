import Foundation

extension StateReader {
    /// The spec keys the fields beside a spec repeat, in the order ``repeatedKeys`` lists them for a
    /// pair of two connections; a pair of one checks slots 0, 1, 2 and 5.
    private static let repeatedFieldNames = ["cgw_id", "connections[0].name", "connections[0].vgw_ip",
                                             "connections[1].name", "connections[1].vgw_ip", "gateway_id"]

    /// The first of ``repeatedKeys`` whose value in the spec `b` (canonical JSON whose values lie at
    /// `valueBounds`) is not the text of the field beside the spec, or `nil` when all agree: what
    /// ``PairSpec/firstMismatch(in:valueBounds:_:_:)`` answers. With the spec's `layout` the keys'
    /// values are known without looking for them, and a value without escapes is compared as bytes;
    /// anything else is left to that function.
    mutating func repeatedFieldMismatch(in b: UnsafeBufferPointer<UInt8>, valueBounds: UnsafeBufferPointer<UInt32>,
                                        layout: SpecLayout?, cgwID: CompactIDText, gatewayID: String,
                                        records: [ConnectionRecord]) -> String? {
        if let layout, let slots = repeatedFieldSlots(of: layout) {
            answered: do {
                // The fields in the keys' order: cgw_id, each connection's name and vgw_ip, gateway_id.
                for step in 0..<(2 + 2 * records.count) {
                    let slot = step == 1 + 2 * records.count ? 5 : step
                    let same = switch step {
                    case 0: Self.compare(b, valueBounds, slots[slot], cgwID)
                    case 1 + 2 * records.count: Self.compare(b, valueBounds, slots[slot], gatewayID)
                    case let n where n % 2 == 1: Self.compare(b, valueBounds, slots[slot], records[n / 2].name)
                    case let n: Self.compare(b, valueBounds, slots[slot], records[n / 2 - 1].vgwIP)
                    }
                    switch same {
                    case true?: continue
                    case false?: return Self.repeatedFieldNames[slot]
                    case nil: break answered
                    }
                }
                return nil
            }
        }
        var values: [String] = []
        values.reserveCapacity(2 + 2 * records.count)
        values.append(cgwID.text)
        for c in records {
            values.append(c.name)
            values.append(c.vgwIP)
        }
        values.append(gatewayID)
        return PairSpec.firstMismatch(in: b, valueBounds: valueBounds, Self.repeatedKeys[records.count - 1], values)
    }

    /// Whether value `k` of `b` (none when `k` is negative) is the JSON string of `text`; `nil` when
    /// it is a string with escapes, which only a full comparison tells.
    private static func compare(_ b: UnsafeBufferPointer<UInt8>, _ valueBounds: UnsafeBufferPointer<UInt32>,
                                _ k: Int, _ text: String) -> Bool? {
        guard let body = stringBody(b, valueBounds, k) else { return false }
        guard let base = body.baseAddress, !body.isEmpty else { return text.isEmpty }
        if memchr(base, Int32(UInt8(ascii: "\\")), body.count) != nil { return nil }
        var text = text
        return text.withUTF8 { t in t.count == body.count && memcmp(t.baseAddress!, base, t.count) == 0 }
    }

    /// The comparison above for an id: without its text when the value is a lower-case UUID.
    private static func compare(_ b: UnsafeBufferPointer<UInt8>, _ valueBounds: UnsafeBufferPointer<UInt32>,
                                _ k: Int, _ id: CompactIDText) -> Bool? {
        if let body = stringBody(b, valueBounds, k), let packed = CompactIDText(lowerCaseUUID: body) {
            return packed == id  // each text has one form
        }
        return compare(b, valueBounds, k, id.text)
    }

    /// The body of value `k` of `b` (none when `k` is negative) when it is a string.
    private static func stringBody(_ b: UnsafeBufferPointer<UInt8>, _ valueBounds: UnsafeBufferPointer<UInt32>,
                                   _ k: Int) -> UnsafeBufferPointer<UInt8>? {
        guard k >= 0 else { return nil }
        let (start, end) = (Int(valueBounds[2 * k]), Int(valueBounds[2 * k + 1]))
        guard end - start >= 2, b[start] == UInt8(ascii: "\""), b[end - 1] == UInt8(ascii: "\"") else { return nil }
        return UnsafeBufferPointer(rebasing: b[(start + 1)..<(end - 1)])
    }

    /// For each of ``repeatedFieldNames``, the index of the value its key names in specs of
    /// `layout` (-1 for none); `nil` when a piece of the layout is not `{"KEY":` or `,"KEY":`.
    private mutating func repeatedFieldSlots(of layout: SpecLayout) -> [Int]? {
        let id = ObjectIdentifier(layout)
        if let known = repeatedFieldSlots[id] { return known.isEmpty ? nil : known }
        var slots = [Int](repeating: -1, count: Self.repeatedFieldNames.count)
        let names = Self.repeatedFieldNames.map { Array($0.utf8) }
        for k in 0..<layout.valueCount {
            let piece = Array(layout.text[layout.piece(k)])
            guard piece.count >= 4, piece[0] == UInt8(ascii: k == 0 ? "{" : ","), piece[1] == UInt8(ascii: "\""),
                  piece[piece.count - 2] == UInt8(ascii: "\""), piece[piece.count - 1] == UInt8(ascii: ":") else {
                repeatedFieldSlots[id] = []
                return nil
            }
            if let n = names.firstIndex(where: { $0.elementsEqual(piece[2..<(piece.count - 2)]) }) { slots[n] = k }
        }
        repeatedFieldSlots[id] = slots
        return slots
    }
}

import Foundation

extension PairSpec {
    /// The API connections the spec describes — each gateway IP's `connections[i].name` and
    /// `connections[i].vgw_ip`, which every spec holds — in IP order, without ids.
    ///
    /// A desired pair's connections are read from its spec rather than kept beside it: the plan of
    /// a large file holds one spec per pair, and a second copy of the names and IPs would cost an
    /// array per pair.
    var connectionRecords: [ConnectionRecord] {
        var names: [String?] = [], ips: [String?] = []
        canonical.withUnsafeBufferPointer { b in
            Self.forEachTopLevelMember(of: b) { key, value in
                guard let (index, field) = Self.perIPKey(key), index < 64 else { return }
                guard let text = Self.string(value) else { return }
                func put(_ list: inout [String?]) {
                    if list.count <= index { list += repeatElement(nil, count: index + 1 - list.count) }
                    list[index] = text
                }
                if field == .name { put(&names) } else { put(&ips) }
            }
        }
        return zip(names, ips).map { ConnectionRecord(id: nil, name: $0 ?? "", vgwIP: $1 ?? "", createdAt: nil) }
    }

    private enum PerIPField { case name, vgwIP }

    /// `connections[i].name` or `connections[i].vgw_ip`: `i` and which.
    private static func perIPKey(_ key: UnsafeBufferPointer<UInt8>) -> (Int, PerIPField)? {
        let prefix: StaticString = "connections["
        let p = prefix.utf8CodeUnitCount
        guard key.count > p + 2, memcmp(key.baseAddress!, prefix.utf8Start, p) == 0 else { return nil }
        var i = p, index = 0
        while i < key.count, key[i] >= UInt8(ascii: "0"), key[i] <= UInt8(ascii: "9"), i - p < 3 {
            index = index * 10 + Int(key[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i > p else { return nil }
        let rest = UnsafeBufferPointer(rebasing: key[i...])
        if rest.elementsEqual("].name".utf8) { return (index, .name) }
        if rest.elementsEqual("].vgw_ip".utf8) { return (index, .vgwIP) }
        return nil
    }

    /// The text of a JSON string value (with its quotes); `nil` for any other value.
    private static func string(_ value: UnsafeBufferPointer<UInt8>) -> String? {
        guard value.first == UInt8(ascii: "\"") else { return nil }
        if !value.contains(UInt8(ascii: "\\")) {
            return String(decoding: UnsafeBufferPointer(rebasing: value.dropFirst().dropLast()), as: UTF8.self)
        }
        var scanner = JSONScanner(value)
        return try? scanner.string()
    }

    /// Notes in `valueBounds` (emptied first) where each member's value of the canonical JSON object
    /// `b` lies: a start and an end offset per member, as
    /// ``JSONScanner/canonicalContainer(into:valueBounds:)`` notes them.
    static func noteValueBounds(of b: UnsafeBufferPointer<UInt8>, into valueBounds: inout [UInt32]) {
        valueBounds.removeAll(keepingCapacity: true)
        forEachTopLevelMember(of: b) { _, value in
            let start = value.baseAddress.map { $0 - b.baseAddress! } ?? 0
            valueBounds.append(UInt32(truncatingIfNeeded: start))
            valueBounds.append(UInt32(truncatingIfNeeded: start + value.count))
        }
    }

    /// The first of `keys` whose value is not a top-level string attribute equal to the same
    /// element of `values`, or `nil` when all are, in the canonical bytes `b` of a spec whose
    /// members' values lie at `valueBounds` (``noteValueBounds(of:into:)``): the keys are found
    /// between the values, without reading the spec again.
    static func firstMismatch(in b: UnsafeBufferPointer<UInt8>, valueBounds: UnsafeBufferPointer<UInt32>,
                              _ keys: SpecKeys, _ values: [String]) -> String? {
        precondition(keys.names.count == values.count && values.count < 64)
        var seen: UInt64 = 0
        // Before each value: `{"KEY":` or `,"KEY":`.
        var keyStart = 2
        for k in 0..<(valueBounds.count / 2) {
            let (start, end) = (Int(valueBounds[2 * k]), Int(valueBounds[2 * k + 1]))
            if start - 2 >= keyStart, end <= b.count,
               let n = keys.index(of: UnsafeBufferPointer(rebasing: b[keyStart..<(start - 2)])), seen & (1 << n) == 0,
               end - start >= 2, b[start] == UInt8(ascii: "\""), b[end - 1] == UInt8(ascii: "\""),
               rawString(UnsafeBufferPointer(rebasing: b[(start + 1)..<(end - 1)]), equals: values[n]) {
                seen |= 1 << n
            }
            keyStart = end + 2
        }
        return keys.names.indices.first { seen & (1 << $0) == 0 }.map { keys.names[$0] }
    }

    /// Calls `body` with the key (its body, without quotes) and the value (as written) of each
    /// member of the canonical JSON object `b`.
    static func forEachTopLevelMember(of b: UnsafeBufferPointer<UInt8>,
                                      _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        func member(_ key: Range<Int>, _ value: Range<Int>) {
            body(UnsafeBufferPointer(rebasing: b[key]), UnsafeBufferPointer(rebasing: b[value]))
        }
        var i = 1, depth = 0, keyStart = 0, keyEnd = 0, valueStart = 0, inKey = true
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let start = i + 1
                i = CanonicalString.end(in: b, from: start)
                if depth == 0, inKey { (keyStart, keyEnd) = (start, i) }
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == 0, !inKey {
                    member(keyStart..<keyEnd, valueStart..<i)
                }
                depth -= 1
            } else if depth == 0 {
                if c == UInt8(ascii: ":") {
                    inKey = false
                    valueStart = i + 1
                } else if c == UInt8(ascii: ",") {
                    member(keyStart..<keyEnd, valueStart..<i)
                    inKey = true
                }
            }
            i += 1
        }
    }
}

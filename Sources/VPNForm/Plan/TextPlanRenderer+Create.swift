/// A top-level member of a spec's canonical JSON: where its key's body and its value lie.
struct CanonicalMember {
    var key: Range<Int>
    var value: Range<Int>
}

extension TextPlanRenderer {
    /// Writes a create entry straight from the spec's canonical bytes, exactly as ``render(_:)``
    /// writes it from the parsed attributes (canonical order is the sorted order it prints; a
    /// value's inline form is its canonical form with a space after each `,` and `:` outside
    /// strings). Returns `false`, having written nothing, when the entry has no desired pair or a
    /// key is not plain ASCII (its width in characters would need decoding): then the caller
    /// renders the entry the general way.
    func writeCreate(_ address: PairAddress, _ desired: DesiredPair?, members: inout [CanonicalMember],
                     to out: inout OutputBuffer) -> Bool {
        guard let spec = desired?.spec else { return false }
        return spec.canonical.withUnsafeBufferPointer { b in
            guard Self.members(of: b, into: &members) else { return false }
            var width = 0
            for m in members { width = max(width, m.key.count) }
            let a = address.rawValue
            out.append("  # ")
            out.append(a)
            out.append(" will be created\n")
            out.append("  ")
            out.append(paint("+", "32"))
            out.append(" pair \"")
            out.append(a)
            out.append("\" {\n")
            var marker = paint("+", "32")
            marker.withUTF8 { marker in
                for m in members {
                    out.append("      ")
                    out.append(marker)
                    out.append(UInt8(ascii: " "))
                    out.append(UnsafeBufferPointer(rebasing: b[m.key]))
                    out.spaces(width - m.key.count)
                    out.append(" = ")
                    Self.writeInline(UnsafeBufferPointer(rebasing: b[m.value]), to: &out)
                    out.append(UInt8(ascii: "\n"))
                }
            }
            out.append("    }\n")
            return true
        }
    }

    /// The top-level members of canonical JSON object bytes; `false` if a key has an escape or a
    /// non-ASCII byte.
    static func members(of b: UnsafeBufferPointer<UInt8>, into members: inout [CanonicalMember]) -> Bool {
        members.removeAll(keepingCapacity: true)
        var plain = true
        PairSpec.forEachTopLevelMember(of: b) { key, value in
            if key.contains(where: { $0 == UInt8(ascii: "\\") || $0 >= 0x80 }) { plain = false }
            let keyStart = key.baseAddress.map { b.baseAddress!.distance(to: $0) } ?? 0
            let valueStart = value.baseAddress.map { b.baseAddress!.distance(to: $0) } ?? 0
            members.append(CanonicalMember(key: keyStart..<(keyStart + key.count),
                                           value: valueStart..<(valueStart + value.count)))
        }
        return plain
    }

    /// Canonical JSON bytes in ``JSONWriter``'s inline style: `", "` and `": "` between items.
    static func writeInline(_ v: UnsafeBufferPointer<UInt8>, to out: inout OutputBuffer) {
        // A string, number or boolean is the same in both styles.
        guard v.first == UInt8(ascii: "[") || v.first == UInt8(ascii: "{") else {
            out.append(v)
            return
        }
        var from = 0, i = 0
        while i < v.count {
            switch v[i] {
            case UInt8(ascii: "\""):
                i = CanonicalString.end(in: v, from: i + 1)
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                out.append(UnsafeBufferPointer(rebasing: v[from...i]))
                out.append(UInt8(ascii: " "))
                from = i + 1
            default: break
            }
            i += 1
        }
        out.append(UnsafeBufferPointer(rebasing: v[from..<v.count]))
    }
}

extension StateFile {
    /// The file's bytes: keys sorted, two-space indent, one connection per line, one spec attribute
    /// per line, trailing newline. The same state always gives the same bytes.
    public func serialized() -> [UInt8] {
        var w = JSONWriter(style: .inline)
        w.raw("{\n")
        if let cloud {
            w.raw("  \"cloud\": ")
            w.write(cloud.json)
            w.raw(",\n")
        }
        w.raw("  \"format\": ")
        w.string(Self.format)
        w.raw(",\n  \"lineage\": ")
        w.string(lineage)
        w.raw(",\n  \"pairs\": {")
        let addresses = pairs.keys.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }
        for (i, address) in addresses.enumerated() {
            w.raw(i == 0 ? "\n    " : ",\n    ")
            w.string(address.rawValue)
            w.raw(": ")
            pairs[address]!.write(to: &w)
        }
        w.raw(addresses.isEmpty ? "},\n" : "\n  },\n")
        w.raw("  \"version\": \(Self.version)\n}\n")
        return w.bytes
    }
}

extension CloudTarget {
    /// `{"endpoint": …, "project_id": …, "region": …}`, each only when set.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["project_id": .string(projectID)]
        if let region { o["region"] = .string(region) }
        if let endpoint { o["endpoint"] = .string(endpoint) }
        return .object(o)
    }
}

extension PairState {
    /// Writes the pair's object: laid out at the fixed indentation of the state file (level 2), or
    /// as canonical JSON (keys sorted, no whitespace), as a journal line holds it.
    func write(to w: inout JSONWriter, laidOut: Bool = true) {
        let (member, item, colon) = laidOut ? ("\n      ", "\n        ", ": ") : ("", "", ":")
        func key(_ name: String, first: Bool = false) {
            w.raw((first ? "{" : ",") + member + "\"" + name + "\"" + colon)
        }
        key("cgw_id", first: true)
        w.string(cgwID.rawValue)
        key("connections")
        w.raw("[")
        for (i, c) in connections.enumerated() {
            w.raw((i == 0 ? "" : ",") + item)
            w.write(c.json)
        }
        w.raw(connections.isEmpty ? "]" : member + "]")
        key("gateway_id")
        w.string(gatewayID.rawValue)
        key("spec")
        if laidOut { spec.writeLaidOut(to: &w) } else { w.append(spec.canonical) }
        key("spec_digest")
        w.string(specDigest.rawValue)
        key("status")
        w.string(status.rawValue)
        w.raw(laidOut ? "\n    }" : "}")
    }
}

extension ConnectionRecord {
    /// `{"created_at": …, "id": …, "name": …, "vgw_ip": …}`; id and created_at only when known.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["name": .string(name), "vgw_ip": .string(vgwIP)]
        if let id { o["id"] = .string(id.rawValue) }
        if let createdAt { o["created_at"] = .string(createdAt) }
        return .object(o)
    }
}

extension PairSpec {
    /// The canonical JSON laid out as the state file shows a spec (level 3): one attribute per
    /// line, values inline with `", "` and `": "`. Dropping the whitespace outside strings gives
    /// the canonical bytes back, which is how the reader verifies a spec cheaply.
    func writeLaidOut(to w: inout JSONWriter) {
        let b = canonical
        guard b.count > 2 else { w.raw("{}"); return }
        var depth = 0, i = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\""):
                let start = i
                i += 1
                while b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                w.append(b[start...i])
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                w.append(c)
                if depth == 1 { w.raw("\n        ") }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 1 { w.raw("\n      ") }
                depth -= 1
                w.append(c)
            case UInt8(ascii: ","): w.raw(depth == 1 ? ",\n        " : ", ")
            case UInt8(ascii: ":"): w.raw(": ")
            default: w.append(c)
            }
            i += 1
        }
    }
}

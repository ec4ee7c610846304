import LocatedYAML

extension StateFile {
    /// Parses a state file's bytes, checking its structure.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The path errors name.
    /// - Throws: ``StateError/malformed(path:mark:message:)`` located at the first problem, or
    ///   ``StateError/unknownVersion(path:version:)``.
    public static func parse(_ bytes: [UInt8], path: String) throws(StateError) -> StateFile {
        var reader = StateReader(path: path)
        return try reader.parse(bytes)
    }
}

/// Reads a state file through the YAML reader (JSON is a subset of YAML), which gives every value
/// a location and rejects duplicate keys.
struct StateReader {
    let path: String

    func fail(_ mark: Mark, _ message: String) -> StateError {
        .malformed(path: path, mark: mark, message: message)
    }

    mutating func parse(_ bytes: [UInt8]) throws(StateError) -> StateFile {
        let document = YAMLReader(maxBytes: 256 << 20).read(bytes)
        if let issue = document.issues.first { throw fail(issue.mark, issue.message) }
        guard let root = document.root else { throw fail(.start, "the file is empty") }
        let top = try object(root, "the state", keys: ["format", "version", "lineage", "pairs"])
        let versionNode = try required(top, "version", root)
        guard case .scalar(let v) = versionNode.content, case .int(let version) = v.value else {
            throw fail(versionNode.mark, "version: expected an integer")
        }
        guard version == StateFile.version else { throw .unknownVersion(path: path, version: version) }
        let format = try string(try required(top, "format", root), "format")
        guard format.value == StateFile.format else {
            throw fail(format.mark, "format: expected \"\(StateFile.format)\", got \"\(format.value)\"")
        }
        let lineage = try string(try required(top, "lineage", root), "lineage")
        guard FormatRules.isUUID(lineage.value) else { throw fail(lineage.mark, "lineage: expected a UUID") }
        let pairsNode = try required(top, "pairs", root)
        guard case .mapping(let entries) = pairsNode.content else { throw fail(pairsNode.mark, "pairs: expected an object") }
        var pairs: [PairAddress: PairState] = [:]
        pairs.reserveCapacity(entries.count)
        for entry in entries {
            let parts = entry.key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, FormatRules.isHandle(String(parts[0])), FormatRules.isHandle(String(parts[1])) else {
                throw fail(entry.keyMark, "pairs: \"\(entry.key)\" is not a pair address GATEWAY/CONNECTION")
            }
            pairs[PairAddress(rawValue: entry.key)] = try pair(entry.value, "pairs.\(entry.key)")
        }
        return StateFile(lineage: lineage.value, pairs: pairs)
    }

    /// An object's members by key: a few keys each, so a linear lookup beats hashing.
    struct Members {
        let entries: [YAMLEntry]
        subscript(key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
    }

    func object(_ node: YAMLNode, _ what: String, keys: [String]) throws(StateError) -> Members {
        guard case .mapping(let entries) = node.content else { throw fail(node.mark, "\(what): expected an object") }
        for e in entries where !keys.contains(e.key) {
            throw fail(e.keyMark, "\(what): unknown key \"\(e.key)\"")
        }
        return Members(entries: entries)
    }

    func required(_ o: Members, _ key: String, _ parent: YAMLNode) throws(StateError) -> YAMLNode {
        guard let node = o[key] else { throw fail(parent.mark, "\(key): required field is missing") }
        return node
    }

    func string(_ node: YAMLNode, _ what: String) throws(StateError) -> Located<String> {
        guard case .scalar(let s) = node.content, case .string(let text) = s.value else {
            throw fail(node.mark, "\(what): expected a string")
        }
        return Located(text, at: node.mark)
    }

    func uuid(_ node: YAMLNode, _ what: String) throws(StateError) -> String {
        let s = try string(node, what)
        guard FormatRules.isUUID(s.value) else { throw fail(node.mark, "\(what): expected a UUID, got \"\(NodeDecoder.clip(s.value))\"") }
        return s.value
    }

    func pair(_ node: YAMLNode, _ what: String) throws(StateError) -> PairState {
        let o = try object(node, what, keys: ["gateway_id", "cgw_id", "connections", "spec", "spec_digest", "status"])
        let gatewayID = try uuid(try required(o, "gateway_id", node), "\(what).gateway_id")
        let cgwID = try uuid(try required(o, "cgw_id", node), "\(what).cgw_id")
        let statusNode = try required(o, "status", node)
        let statusText = try string(statusNode, "\(what).status")
        guard let status = PairState.Status(rawValue: statusText.value) else {
            throw fail(statusNode.mark, "\(what).status: expected pending or created, got \"\(NodeDecoder.clip(statusText.value))\"")
        }
        let connectionsNode = try required(o, "connections", node)
        guard case .sequence(let items) = connectionsNode.content, (1...2).contains(items.count) else {
            throw fail(connectionsNode.mark, "\(what).connections: expected a list of 1 or 2 connections")
        }
        var connections: [ConnectionRecord] = []
        for (i, item) in items.enumerated() {
            let cwhat = "\(what).connections[\(i)]"
            let c = try object(item, cwhat, keys: ["id", "name", "vgw_ip", "created_at"])
            let id = try c["id"].map { n throws(StateError) in ConnectionID(try uuid(n, "\(cwhat).id")) }
            if status == .created, id == nil { throw fail(item.mark, "\(cwhat): a created pair's connection needs its id") }
            connections.append(ConnectionRecord(
                id: id,
                name: try string(try required(c, "name", item), "\(cwhat).name").value,
                vgwIP: try string(try required(c, "vgw_ip", item), "\(cwhat).vgw_ip").value,
                createdAt: try c["created_at"].map { n throws(StateError) in try string(n, "\(cwhat).created_at").value }
            ))
        }
        let specNode = try required(o, "spec", node)
        guard case .mapping(let specEntries) = specNode.content else { throw fail(specNode.mark, "\(what).spec: expected an object") }
        var attributes: [String: JSONValue] = [:]
        for e in specEntries { attributes[e.key] = try json(e.value, "\(what).spec.\(e.key)") }
        let spec = PairSpec(attributes: attributes)
        let digestNode = try required(o, "spec_digest", node)
        let digest = SpecDigest(rawValue: try string(digestNode, "\(what).spec_digest").value)
        guard digest == spec.digest else {
            throw fail(digestNode.mark, "\(what).spec_digest does not match its spec (was the file edited by hand?)")
        }
        // The fields beside the spec repeat it; a hand edit of one without the other is refused.
        let repeated: [(String, JSONValue?, String)] = [("gateway_id", spec.attributes["gateway_id"], gatewayID), ("cgw_id", spec.attributes["cgw_id"], cgwID)]
            + connections.enumerated().flatMap { i, c in
                [("connections[\(i)].name", spec.attributes["connections[\(i)].name"], c.name),
                 ("connections[\(i)].vgw_ip", spec.attributes["connections[\(i)].vgw_ip"], c.vgwIP)]
            }
        for (key, inSpec, value) in repeated where inSpec != .string(value) {
            throw fail(node.mark, "\(what).\(key) does not agree with its spec (was the file edited by hand?)")
        }
        return PairState(gatewayID: GatewayID(gatewayID), cgwID: CustomerGatewayID(cgwID), connections: connections,
                         specDigest: digest, spec: spec, status: status)
    }

    func json(_ node: YAMLNode, _ what: String) throws(StateError) -> JSONValue {
        switch node.content {
        case .scalar(let s):
            switch s.value {
            case .string(let v): return .string(v)
            case .int(let v): return .int(v)
            case .bool(let v): return .bool(v)
            case .null: return .null
            case .float: throw fail(node.mark, "\(what): numbers in a spec are integers")
            }
        case .sequence(let items):
            var values: [JSONValue] = []
            for item in items { values.append(try json(item, what)) }
            return .array(values)
        case .mapping(let entries):
            var o: [String: JSONValue] = [:]
            for e in entries { o[e.key] = try json(e.value, "\(what).\(e.key)") }
            return .object(o)
        }
    }
}

import LocatedYAML
import VPNCrypto

/// Builds a ``DesiredState`` from a YAML document, reporting every shape problem: wrong types,
/// unknown keys, missing required fields, enum values. Value rules (formats, ranges of lists,
/// cross-field rules, duplicates) belong to ``Validator``.
///
/// Gateways can be decoded one by one while the file is read (``decodeStreamed(gateway:at:)``), so
/// that the YAML tree never holds them all; their connections' ``Connection/spec`` is then completed
/// by ``decode(_:gatewaysStreamed:)``, because `defaults` may come after them in the file.
struct DesiredStateDecoder: Sendable {
    var d: NodeDecoder
    /// Gateways decoded as they were read, their connections' `spec` left empty until `defaults` is known.
    private var streamedGateways: [Gateway] = []

    init(file: String) { d = NodeDecoder(file: file) }

    static let topKeys = KeySet(["version", "project_id", "region", "endpoint", "defaults", "gateways", "moved"])
    static let gatewayKeys = KeySet(["name", "id", "ips", "connections", "prevent_destroy"])
    static let fieldKeys = KeySet(AttributeTable.defaultsKeys)
    static let connectionKeys = KeySet(AttributeTable.connectionKeys)
    static let moveKeys = KeySet(["from", "to"])
    static let ikeKeys = KeySet(["ike_version", "phase1_negotiation_mode", "authentication_algorithm",
                                 "encryption_algorithm", "dh_group", "authentication_method", "lifetime_seconds",
                                 "local_id_type", "local_id", "peer_id_type", "peer_id", "dpd"])
    static let dpdKeys = KeySet(["timeout", "interval", "msg"])
    static let ipsecKeys = KeySet(["authentication_algorithm", "encryption_algorithm", "pfs", "transform_protocol",
                                   "lifetime_seconds", "encapsulation_mode"])
    static let tunnelKeys = KeySet(AttributeTable.tunnelKeys)
    static let ruleKeys = KeySet(["source", "destination"])
    static let ikeHints = ["pfs": "IKE has no pfs; set ipsecpolicy.pfs"]
    static let apiOnlyHints = [
        "vgw_id": "the gateway's `id` sets vgw_id",
        "vgw_ip": "the gateway's `ips` set vgw_ip",
        "rule_index": "rule_index is deprecated by the API and not sent; remove it",
    ]

    /// Decodes one item of the top-level `gateways` list, as soon as it is read.
    mutating func decodeStreamed(gateway node: YAMLNode, at index: Int) {
        if let g = gateway(node, index, defaults: nil) { streamedGateways.append(g) }
    }

    /// Decodes one item of the top-level `gateways` list read in place, when it has no finding.
    ///
    /// - Returns: Whether it was taken. An item with any finding is not: its findings are dropped,
    ///   and the reader composes it and hands it to ``decodeStreamed(gateway:at:)``, so that every
    ///   diagnostic comes from one path, with the composer's own (duplicate keys and the like).
    mutating func decodeRecorded(gateway node: YAMLRecordedNode, at index: Int) -> Bool {
        let findingsBefore = d.findings.list.count
        let g = gateway(node, index, defaults: nil)
        guard let g, d.findings.list.count == findingsBefore else {
            d.findings.removeAll(after: findingsBefore)
            return false
        }
        streamedGateways.append(g)
        return true
    }

    /// Whether nothing was found to report so far.
    var hasNoFindings: Bool { d.findings.list.isEmpty }

    /// Takes the gateways `other` decoded from the second part of a cut file (``YAMLCut``), after
    /// this one's: their indices in the list are counted from `indexOffset`.
    mutating func append(streamedBy other: consuming DesiredStateDecoder, indexOffset: Int) {
        streamedGateways.reserveCapacity(streamedGateways.count + other.streamedGateways.count)
        for var g in other.streamedGateways {
            g.index += indexOffset
            streamedGateways.append(g)
        }
    }

    /// Hands a streamed item to ``decodeRecorded(gateway:at:)`` or ``decodeStreamed(gateway:at:)``.
    mutating func decode(streamed item: YAMLStreamedItem, at index: Int) -> Bool {
        switch item {
        case .recorded(let node): return decodeRecorded(gateway: node, at: index)
        case .composed(let node):
            decodeStreamed(gateway: node, at: index)
            return true
        }
    }

    /// Decodes the document.
    /// - Parameters:
    ///   - root: The document's root node.
    ///   - gatewaysStreamed: Whether the `gateways` list's items went to ``decodeStreamed(gateway:at:)``
    ///     (its node in `root` is then empty).
    mutating func decode(_ root: YAMLNode?, gatewaysStreamed: Bool = false) -> DesiredState? {
        guard let root else {
            d.error("", .start, "the file is empty; expected a mapping with version and gateways")
            return nil
        }
        guard let top = d.mapping(root, FieldPath(""), allowed: Self.topKeys) else { return nil }
        var version: Int?
        if let node = top["version"], let v = d.int(node, "version") {
            if v.value == 1 { version = 1 } else { d.error("version", node.mark, "unsupported version \(v.value); expected 1") }
        } else if top["version"] == nil {
            d.error("version", top.mark, "required field is missing")
        }
        let projectID = top["project_id"].flatMap { d.string($0, "project_id") }
        let region = top["region"].flatMap { d.string($0, "region") }
        let endpoint = top["endpoint"].flatMap { d.string($0, "endpoint") }
        var defaults = ConnectionFields()
        if let node = top["defaults"],
           let fields = d.mapping(node, FieldPath("defaults"), allowed: Self.fieldKeys, hints: Self.apiOnlyHints) {
            defaults = connectionFields(fields)
        }
        var gateways: [Gateway] = []
        if let node = top["gateways"] {
            if let items = d.list(node, "gateways") {
                for (i, item) in items.enumerated() {
                    if let g = gateway(item, i, defaults: defaults) { gateways.append(g) }
                }
            }
            if gatewaysStreamed {
                swap(&gateways, &streamedGateways)
                for g in gateways.indices {
                    for c in gateways[g].connections.indices {
                        gateways[g].connections[c].mergeSpec(over: defaults)
                    }
                }
            }
        } else {
            d.error("gateways", top.mark, "required field is missing")
        }
        var moved: [Move] = []
        if let node = top["moved"], let items = d.list(node, "moved") {
            for (i, item) in items.enumerated() {
                guard let f = d.mapping(item, FieldPath("moved[\(i)]"), allowed: Self.moveKeys) else { continue }
                let from = required(f, "from").flatMap { d.string($0, f.path("from")) }
                let to = required(f, "to").flatMap { d.string($0, f.path("to")) }
                if let from, let to { moved.append(Move(from: from.value, to: to.value)) }
            }
        }
        guard let version else { return nil }
        var state = DesiredState(version: version, projectID: projectID, region: region, endpoint: endpoint,
                                 defaults: defaults, gateways: gateways, mark: top.mark)
        state.moved = moved
        return state
    }

    private mutating func required<Node>(_ fields: borrowing Fields<Node>, _ key: StaticString) -> Node? {
        if let node = fields[key] { return node }
        d.error(fields.path(key.description), fields.mark, "required field is missing")
        return nil
    }

    /// - Parameter defaults: The file's `defaults`, or `nil` to leave each connection's `spec` empty for later.
    private mutating func gateway<Node: YAMLNodeView>(_ node: Node, _ index: Int,
                                                      defaults: ConnectionFields?) -> Gateway? {
        let path = FieldPath("gateways[\(index)]")
        guard let f = d.mapping(node, path, allowed: Self.gatewayKeys, hints: Self.apiOnlyHints) else { return nil }
        let name = required(f, "name").flatMap { d.string($0, f.path("name")) }
        let id = required(f, "id").flatMap { d.string($0, f.path("id")) }
        let ips = required(f, "ips").flatMap { d.strings($0, f.path("ips")) }
        var connections: [Connection] = []
        if let node = f["connections"], let items = d.list(node, f.path("connections")) {
            connections.reserveCapacity(items.underestimatedCount)
            for (i, item) in items.enumerated() {
                let path = f.path.appending("connections", index: i)
                appendConnection(item, path, index: i, defaults: defaults, to: &connections)
            }
        }
        let preventDestroy = f["prevent_destroy"].flatMap { d.bool($0, f.path("prevent_destroy")) }?.value ?? false
        guard let name, let id, let ips else { return nil }
        var g = Gateway(name: name, index: index, id: Located(GatewayID(id.value), at: id.mark), ips: ips,
                        connections: connections, mark: f.mark)
        g.preventDestroy = preventDestroy
        return g
    }

    /// Decodes a connection onto the end of `connections` (when it has a name). The connection is
    /// appended empty and the rest decoded into the array's storage: made here and appended, its
    /// fields, spec and tunnels were all copied into the array and the originals destroyed.
    private mutating func appendConnection<Node: YAMLNodeView>(_ node: Node, _ path: FieldPath, index: Int,
                                                               defaults: ConnectionFields?,
                                                               to connections: inout [Connection]) {
        guard let f = d.mapping(node, path, allowed: Self.connectionKeys, hints: Self.apiOnlyHints) else { return }
        guard let name = required(f, "name").flatMap({ d.string($0, f.path("name")) }) else {
            // Still decoded for its findings, then dropped.
            var unnamed = Connection(name: Located("", at: f.mark), index: index, mark: f.mark,
                                     fields: ConnectionFields(), spec: ConnectionFields(), tunnels: nil)
            connectionBody(f, defaults: defaults, into: &unnamed)
            return
        }
        connections.append(Connection(name: name, index: index, mark: f.mark, fields: ConnectionFields(),
                                      spec: ConnectionFields(), tunnels: nil))
        connectionBody(f, defaults: defaults, into: &connections[connections.count - 1])
    }

    /// Decodes everything of a connection but its name into `c`, which has empty fields and spec and
    /// no tunnels; `spec` stays empty when `defaults` is `nil`.
    private mutating func connectionBody<Node: YAMLNodeView>(_ f: borrowing Fields<Node>, defaults: ConnectionFields?,
                                                             into c: inout Connection) {
        connectionFields(f, into: &c.fields)
        if let node = f["tunnels"], let items = d.list(node, f.path("tunnels")) {
            let decoded = items.enumerated().compactMap { tunnel($1, f.path.appending("tunnels", index: $0)) }
            c.tunnels = Located(decoded, at: node.mark)
        }
        c.preventDestroy = f["prevent_destroy"].flatMap { d.bool($0, f.path("prevent_destroy")) }?.value ?? false
        if let defaults {
            c.spec = c.fields
            c.spec.merge(over: defaults)
        }
    }

    private mutating func connectionFields<Node>(_ f: borrowing Fields<Node>) -> ConnectionFields {
        var c = ConnectionFields()
        connectionFields(f, into: &c)
        return c
    }

    /// Decodes the fields into `c`, which starts empty: filled in place, they were copied out of the
    /// function that made them.
    private mutating func connectionFields<Node>(_ f: borrowing Fields<Node>, into c: inout ConnectionFields) {
        let findingsBefore = d.findings.list.count
        if let n = f["cgw_id"], let v = d.string(n, f.path("cgw_id")) { c.cgwID = Located(CustomerGatewayID(v.value), at: v.mark) }
        c.style = f["style"].flatMap { d.enumValue($0, f.path("style")) }
        c.peerSubnets = f["peer_subnets"].flatMap { d.strings($0, f.path("peer_subnets")) }
        c.tunnelLocalAddress = f["tunnel_local_address"].flatMap { d.string($0, f.path("tunnel_local_address")) }
        c.tunnelPeerAddress = f["tunnel_peer_address"].flatMap { d.string($0, f.path("tunnel_peer_address")) }
        c.enableNQA = f["enable_nqa"].flatMap { d.bool($0, f.path("enable_nqa")) }
        c.enableHub = f["enable_hub"].flatMap { d.bool($0, f.path("enable_hub")) }
        c.psk = f["psk"].flatMap { psk($0, f.path("psk")) }
        c.haRole = f["ha_role"].flatMap { d.enumValue($0, f.path("ha_role")) }
        if let node = f["policy_rules"], let items = d.list(node, f.path("policy_rules")) {
            let rules = items.enumerated().compactMap { policyRule($1, f.path.appending("policy_rules", index: $0)) }
            c.policyRules = Located(rules, at: node.mark)
        }
        c.tags = f["tags"].flatMap { tags($0, f.path("tags")) }
        c.ikePolicy = f["ikepolicy"].flatMap { ikePolicy($0, f.path.appending("ikepolicy")) }
        c.ipsecPolicy = f["ipsecpolicy"].flatMap { ipsecPolicy($0, f.path.appending("ipsecpolicy")) }
        // A field left unset although written always came with a finding: without one, none is.
        if d.findings.list.count != findingsBefore {
            c.unreadable = Set(f.entries.lazy.map(\.key.string).filter(c.isUnset))
        }
    }

    private mutating func psk<Node: YAMLNodeView>(_ node: Node,
                                                  _ path: @autoclosure () -> String) -> Located<SecretReference>? {
        // The common case, `${NAME}` with a valid name, read from the scalar's bytes: no finding, and
        // no string of the whole text. Anything else goes the way that reports it.
        if case .name(let name)? = node.withStringUTF8(EnvironmentName.reference(utf8:)) ?? nil {
            return Located(.environment(name), at: node.mark)
        }
        guard let text = d.string(node, path(), secret: true) else { return nil }
        let v = text.value
        switch EnvironmentName.reference(in: v) {
        case .name(let name):
            return Located(.environment(name), at: node.mark)
        case .invalid:
            d.error(path(), node.mark, "expected ${ENV_NAME} with a valid environment variable name (letters, digits, _; not starting with a digit)")
            return nil
        case .none:
            break
        }
        d.warning(path(), node.mark, "plaintext pre-shared key committed to the file; use ${ENV_NAME}")
        let secret = Secret(v)
        SecretCanary.register(secret)
        return Located(.literal(secret), at: node.mark)
    }

    private mutating func policyRule<Node: YAMLNodeView>(_ node: Node, _ path: FieldPath) -> PolicyRule? {
        guard let f = d.mapping(node, path, allowed: Self.ruleKeys, hints: Self.apiOnlyHints) else { return nil }
        let source = required(f, "source").flatMap { d.string($0, f.path("source")) }
        let destination = required(f, "destination").flatMap { d.strings($0, f.path("destination")) }
        return PolicyRule(source: source, destination: destination, mark: f.mark)
    }

    private mutating func tags<Node: YAMLNodeView>(_ node: Node, _ path: @autoclosure () -> String) -> Located<[Tag]>? {
        guard let entries = node.entries else {
            d.error(path(), node.mark, "expected a mapping, got \(node.kindDescription)")
            return nil
        }
        var tags: [Tag] = []
        tags.reserveCapacity(entries.underestimatedCount)
        for e in entries {
            if let value = d.string(e.value, NodeDecoder.join(path(), e.key.string)) {
                tags.append(Tag(key: Located(e.key.string, at: e.keyMark), value: value))
            }
        }
        return Located(tags, at: node.mark)
    }

    private mutating func tunnel<Node: YAMLNodeView>(_ node: Node, _ path: FieldPath) -> Tunnel? {
        guard let f = d.mapping(node, path, allowed: Self.tunnelKeys) else { return nil }
        var t = Tunnel(mark: f.mark)
        t.name = f["name"].flatMap { d.string($0, f.path("name")) }
        t.tunnelLocalAddress = f["tunnel_local_address"].flatMap { d.string($0, f.path("tunnel_local_address")) }
        t.tunnelPeerAddress = f["tunnel_peer_address"].flatMap { d.string($0, f.path("tunnel_peer_address")) }
        t.haRole = f["ha_role"].flatMap { d.enumValue($0, f.path("ha_role")) }
        return t
    }

    private mutating func ikePolicy<Node: YAMLNodeView>(_ node: Node, _ path: FieldPath) -> IKEPolicy? {
        guard let f = d.mapping(node, path, allowed: Self.ikeKeys, hints: Self.ikeHints) else { return nil }
        var p = IKEPolicy()
        p.ikeVersion = f["ike_version"].flatMap { d.enumValue($0, f.path("ike_version")) }
        p.phase1NegotiationMode = f["phase1_negotiation_mode"].flatMap { d.enumValue($0, f.path("phase1_negotiation_mode")) }
        p.authenticationAlgorithm = f["authentication_algorithm"].flatMap { d.enumValue($0, f.path("authentication_algorithm")) }
        p.encryptionAlgorithm = f["encryption_algorithm"].flatMap { d.enumValue($0, f.path("encryption_algorithm")) }
        p.dhGroup = f["dh_group"].flatMap { d.enumValue($0, f.path("dh_group")) }
        p.authenticationMethod = f["authentication_method"].flatMap { d.enumValue($0, f.path("authentication_method")) }
        p.lifetimeSeconds = f["lifetime_seconds"].flatMap { d.int($0, f.path("lifetime_seconds"), in: 60...604_800) }
        p.localIDType = f["local_id_type"].flatMap { d.enumValue($0, f.path("local_id_type")) }
        p.localID = f["local_id"].flatMap { d.string($0, f.path("local_id")) }
        p.peerIDType = f["peer_id_type"].flatMap { d.enumValue($0, f.path("peer_id_type")) }
        p.peerID = f["peer_id"].flatMap { d.string($0, f.path("peer_id")) }
        if let node = f["dpd"], let g = d.mapping(node, f.path.appending("dpd"), allowed: Self.dpdKeys) {
            p.dpd = DPD(timeout: g["timeout"].flatMap { d.int($0, g.path("timeout"), in: 2...60) },
                        interval: g["interval"].flatMap { d.int($0, g.path("interval"), in: 10...3600) },
                        msg: g["msg"].flatMap { d.enumValue($0, g.path("msg")) })
        }
        return p
    }

    private mutating func ipsecPolicy<Node: YAMLNodeView>(_ node: Node, _ path: FieldPath) -> IPsecPolicy? {
        guard let f = d.mapping(node, path, allowed: Self.ipsecKeys) else { return nil }
        var p = IPsecPolicy()
        p.authenticationAlgorithm = f["authentication_algorithm"].flatMap { d.enumValue($0, f.path("authentication_algorithm")) }
        p.encryptionAlgorithm = f["encryption_algorithm"].flatMap { d.enumValue($0, f.path("encryption_algorithm")) }
        p.pfs = f["pfs"].flatMap { d.enumValue($0, f.path("pfs")) }
        p.transformProtocol = f["transform_protocol"].flatMap { d.enumValue($0, f.path("transform_protocol")) }
        p.lifetimeSeconds = f["lifetime_seconds"].flatMap { d.int($0, f.path("lifetime_seconds"), in: 30...604_800) }
        p.encapsulationMode = f["encapsulation_mode"].flatMap { d.enumValue($0, f.path("encapsulation_mode")) }
        return p
    }
}

private extension Connection {
    /// Sets ``Connection/spec`` in place: the fields are not copied out of the gateways' arrays first.
    mutating func mergeSpec(over defaults: ConnectionFields) {
        spec = fields
        spec.merge(over: defaults)
    }
}

private extension ConnectionFields {
    /// Whether `key` names one of these fields and it is unset (written, but it could not be read).
    func isUnset(_ key: String) -> Bool {
        switch key {
        case "cgw_id": cgwID == nil
        case "style": style == nil
        case "peer_subnets": peerSubnets == nil
        case "tunnel_local_address": tunnelLocalAddress == nil
        case "tunnel_peer_address": tunnelPeerAddress == nil
        case "enable_nqa": enableNQA == nil
        case "enable_hub": enableHub == nil
        case "psk": psk == nil
        case "policy_rules": policyRules == nil
        case "ikepolicy": ikePolicy == nil
        case "ipsecpolicy": ipsecPolicy == nil
        case "ha_role": haRole == nil
        case "tags": tags == nil
        default: false
        }
    }
}

/// The rule for environment variable names in `${NAME}`.
enum EnvironmentName {
    /// What a pre-shared key's text is: `${NAME}` with a valid name, `${…` without one, or no reference.
    enum Reference: Equatable {
        case none, invalid, name(String)
    }

    /// Reads `${NAME}` from a pre-shared key's text.
    ///
    /// ASCII text (nearly all) is read as bytes; other text character by character, as `hasPrefix`
    /// does (`${` followed by a combining mark is not a reference, since `{` and the mark are one
    /// character). For ASCII the two agree: no ASCII character but CR LF spans two bytes, and that
    /// pair can neither follow `{` as one character nor be `}`.
    static func reference(in text: String) -> Reference {
        var copy = text
        if let read = copy.withUTF8(reference(utf8:)) {
            return read
        }
        guard text.hasPrefix("${") else { return .none }
        let name = text.dropFirst(2).dropLast()
        return text.hasSuffix("}") && isValid(name) ? .name(String(name)) : .invalid
    }

    /// What the UTF-8 of a pre-shared key's text is, or `nil` for non-ASCII text (read as characters).
    static func reference(utf8 b: UnsafeBufferPointer<UInt8>) -> Reference? {
        guard b.count >= 2, b[0] == UInt8(ascii: "$"), b[1] == UInt8(ascii: "{") else { return Reference.none }
        guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard b.count >= 3, b[b.count - 1] == UInt8(ascii: "}") else { return .invalid }
        let name = UnsafeBufferPointer(rebasing: b[2..<(b.count - 1)])
        return isValid(name) ? .name(String(decoding: name, as: UTF8.self)) : .invalid
    }

    private static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return b.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    static func isValid(_ name: Substring) -> Bool {
        let b = name.utf8
        guard let first = b.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return b.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}

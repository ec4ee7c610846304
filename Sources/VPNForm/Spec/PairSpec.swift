import Foundation
import VPNCrypto

/// The canonical, non-secret description of a pair: every attribute vpnform sends for it, flattened
/// to `ikepolicy.dpd.timeout`-style names, with per-IP values under `connections[i].…`. Pre-shared
/// keys appear only as their reference (`${NAME}`, or `(literal)`), never as a value.
///
/// It is held as its canonical JSON (compact, keys sorted by UTF-8 bytes), the bytes its ``digest``
/// hashes: two specs are equal exactly when those bytes are. State files keep it, so a plan can name
/// each attribute that changed.
public struct PairSpec: Sendable, Equatable {
    /// The canonical JSON of the attribute object.
    public private(set) var canonical: [UInt8]

    /// A spec from bytes known to be canonical JSON of an object: written by ``JSONWriter``, or
    /// accepted by ``JSONScanner/canonicalContainer(into:)``, which accepts nothing else. A digest
    /// match alone is not such proof (a hand editor can recompute a digest).
    init(canonical: [UInt8]) { self.canonical = canonical }

    /// Creates a spec from attributes.
    public init(attributes: [String: JSONValue]) {
        var w = JSONWriter(style: .compact)
        w.write(.object(attributes))
        canonical = w.bytes
    }

    /// Attribute name → value. Unset optional fields are absent (the server's defaults apply).
    public var attributes: [String: JSONValue] {
        get {
            let value = canonical.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer)
                return try? scanner.value()
            }
            // Unreachable from input: see init(canonical:); JSONTestSuiteTests and the fuzzer check it.
            guard case .object(let attributes) = value else { preconditionFailure("a spec's canonical bytes are a JSON object") }
            return attributes
        }
        set { self = PairSpec(attributes: newValue) }
    }

    /// The spec of `connection` on `gateway`, from the connection's effective fields, written
    /// straight to canonical JSON: members in sorted order, which debug builds check.
    public init(gateway: Gateway, connection: Connection) {
        self.init(gateway: gateway, connection: connection, names: gateway.apiNames(of: connection))
    }

    /// The spec, given the connection's API names (``Gateway/apiNames(of:)``).
    init(gateway: Gateway, connection: Connection, names: [Located<String>]) {
        var o = CanonicalObject()
        Self.write(gateway: gateway, connection: connection, names: names, into: &o)
        canonical = o.finish()
    }

    /// Writes the spec's canonical bytes into `o`, emptied first and left open for ``CanonicalObject/close()``:
    /// the planner compares them with the state's before keeping a copy.
    static func write(gateway: Gateway, connection: Connection, names: [Located<String>],
                      into o: inout CanonicalObject) {
        o.reset()
        let source = SpecSource(gateway: gateway, fields: connection.spec, tunnels: connection.tunnels?.value ?? [],
                                names: names)
        for step in SpecField.steps {
            switch step {
            case .attribute(let key, let write): write(&o, key, source, 0)
            case .perIP:
                for i in gateway.ips.value.indices {
                    let keys = i < SpecField.perIPKeys.count ? SpecField.perIPKeys[i] : SpecField.keys(ofIP: i).map(SpecKey.init)
                    for (n, field) in SpecField.perIP.enumerated() { field.write(&o, keys[n], source, i) }
                }
            }
        }
    }

    static func add(_ p: IKEPolicy, to o: inout CanonicalObject) {
        if let v = p.authenticationAlgorithm { o.string("ikepolicy.authentication_algorithm", v.value.rawValue) }
        if let v = p.authenticationMethod { o.string("ikepolicy.authentication_method", v.value.rawValue) }
        if let v = p.dhGroup { o.string("ikepolicy.dh_group", v.value.rawValue) }
        if let v = p.dpd?.interval { o.int("ikepolicy.dpd.interval", v.value) }
        if let v = p.dpd?.msg { o.string("ikepolicy.dpd.msg", v.value.rawValue) }
        if let v = p.dpd?.timeout { o.int("ikepolicy.dpd.timeout", v.value) }
        if let v = p.encryptionAlgorithm { o.string("ikepolicy.encryption_algorithm", v.value.rawValue) }
        if let v = p.ikeVersion { o.string("ikepolicy.ike_version", v.value.rawValue) }
        if let v = p.lifetimeSeconds { o.int("ikepolicy.lifetime_seconds", v.value) }
        if let v = p.localID { o.string("ikepolicy.local_id", v.value) }
        if let v = p.localIDType { o.string("ikepolicy.local_id_type", v.value.rawValue) }
        if let v = p.peerID { o.string("ikepolicy.peer_id", v.value) }
        if let v = p.peerIDType { o.string("ikepolicy.peer_id_type", v.value.rawValue) }
        if let v = p.phase1NegotiationMode { o.string("ikepolicy.phase1_negotiation_mode", v.value.rawValue) }
    }

    static func add(_ p: IPsecPolicy, to o: inout CanonicalObject) {
        if let v = p.authenticationAlgorithm { o.string("ipsecpolicy.authentication_algorithm", v.value.rawValue) }
        if let v = p.encapsulationMode { o.string("ipsecpolicy.encapsulation_mode", v.value.rawValue) }
        if let v = p.encryptionAlgorithm { o.string("ipsecpolicy.encryption_algorithm", v.value.rawValue) }
        if let v = p.lifetimeSeconds { o.int("ipsecpolicy.lifetime_seconds", v.value) }
        if let v = p.pfs { o.string("ipsecpolicy.pfs", v.value.rawValue) }
        if let v = p.transformProtocol { o.string("ipsecpolicy.transform_protocol", v.value.rawValue) }
    }

    /// `sha256:` and the hex SHA-256 of the spec's canonical JSON.
    public var digest: SpecDigest {
        SpecDigest(rawValue: "sha256:" + SHA256.hex(canonical))
    }

    /// Whether `digest` is ``digest`` (`digest == self.digest`), without building the text.
    func hasDigest(_ digest: SpecDigest) -> Bool {
        var text = digest.rawValue
        return text.withUTF8 { d in
            let prefix: StaticString = "sha256:"
            let n = prefix.utf8CodeUnitCount
            guard d.count == n + 64, memcmp(d.baseAddress!, prefix.utf8Start, n) == 0 else { return false }
            return canonical.withUnsafeBytes { SHA256.hasHexDigest($0, hex: UnsafeBufferPointer(rebasing: d[n...])) }
        }
    }

    /// Whether the spec's canonical bytes are `bytes`.
    func hasCanonical(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        canonical.withUnsafeBufferPointer { c in
            c.count == bytes.count && (c.isEmpty || memcmp(c.baseAddress!, bytes.baseAddress!, c.count) == 0)
        }
    }

    /// The first of `keys` whose value is not a top-level string attribute of the spec equal to the
    /// same element of `values`, or `nil` when all are: one pass over the canonical bytes, stopping
    /// once all are seen.
    func firstMismatch(_ keys: SpecKeys, _ values: [String]) -> String? {
        precondition(keys.names.count == values.count && values.count < 64)
        var seen: UInt64 = 0, remaining = values.count
        canonical.withUnsafeBufferPointer { b in
            var i = 1, depth = 0, keyStart = 0, keyEnd = 0, inKey = true
            while i < b.count, remaining > 0 {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    let start = i + 1
                    i = CanonicalString.end(in: b, from: start)
                    if depth == 0 {
                        if inKey {
                            (keyStart, keyEnd) = (start, i)
                        } else if let n = keys.index(of: UnsafeBufferPointer(rebasing: b[keyStart..<keyEnd])),
                                  seen & (1 << n) == 0 {
                            let value = UnsafeBufferPointer(rebasing: b[start..<i])
                            if Self.rawString(value, equals: values[n]) { seen |= 1 << n }
                            remaining -= 1
                        }
                    }
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                } else if depth == 0 {
                    if c == UInt8(ascii: ":") { inKey = false } else if c == UInt8(ascii: ",") { inKey = true }
                }
                i += 1
            }
        }
        return keys.names.indices.first { seen & (1 << $0) == 0 }.map { keys.names[$0] }
    }

    /// Whether the body of a JSON string as canonical JSON writes it is `value`.
    private static func rawString(_ raw: UnsafeBufferPointer<UInt8>, equals value: String) -> Bool {
        var value = value
        let plain = value.withUTF8 { v -> Bool? in
            for b in v where JSONWriter.needsEscape(b) { return nil }
            return v.count == raw.count && (v.isEmpty || memcmp(v.baseAddress!, raw.baseAddress!, v.count) == 0)
        }
        if let plain { return plain }
        var w = JSONWriter(style: .compact)
        w.string(value)
        return w.bytes.dropFirst().dropLast().elementsEqual(raw)
    }

    /// The names of attributes whose values differ between `self` (old) and `new`, sorted.
    public func changes(to new: PairSpec) -> [AttributeChange] {
        let old = attributes, wanted = new.attributes
        let keys = Set(old.keys).union(wanted.keys)
        return keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { key in
            old[key] == wanted[key] ? nil : AttributeChange(attribute: key, old: old[key], new: wanted[key])
        }
    }
}

/// Top-level spec keys, with their bytes kept for matching against a spec's canonical text.
struct SpecKeys: Sendable {
    /// The keys.
    let names: [String]
    private let bytes: [[UInt8]]

    init(_ names: [String]) {
        self.names = names
        bytes = names.map { Array($0.utf8) }
    }

    /// The index of the key whose bytes are `key`, if any.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.firstIndex { k in
            k.count == key.count && (k.isEmpty || k.withUnsafeBufferPointer { b in
                memcmp(b.baseAddress!, key.baseAddress!, key.count) == 0
            })
        }
    }
}

/// One attribute that differs between the state and the desired file.
public struct AttributeChange: Sendable, Equatable {
    /// The flattened attribute name, e.g. `ikepolicy.dh_group`.
    public var attribute: String
    /// The value in the state; `nil` when the attribute was unset.
    public var old: JSONValue?
    /// The desired value; `nil` when the attribute is now unset.
    public var new: JSONValue?

    public init(attribute: String, old: JSONValue?, new: JSONValue?) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }
}

/// `sha256:<hex>`, the digest of a pair's canonical spec.
public struct SpecDigest: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

import Foundation
import VPNCrypto

/// The canonical, non-secret description of a pair: every attribute vpnform sends for it, flattened
/// to `ikepolicy.dpd.timeout`-style names, with per-IP values under `connections[i].…`. Pre-shared
/// keys appear only as their reference (`${NAME}`, or `(literal)`), never as a value.
///
/// It is its canonical JSON (compact, keys sorted by UTF-8 bytes), the bytes its ``digest``
/// hashes: two specs are equal exactly when those bytes are. State files keep it, so a plan can name
/// each attribute that changed; a spec read from a state is held compactly (``CompactSpec``).
public struct PairSpec: Sendable, Equatable {
    /// How the canonical bytes are held.
    private(set) var storage: Storage

    /// The two ways of holding a spec's canonical bytes.
    enum Storage: Sendable {
        /// The bytes as they are: a spec written from the desired file.
        case whole([UInt8])
        /// Split into a shared layout and values, with the digest the reader checked.
        case compact(CompactSpec)
    }

    /// The canonical JSON of the attribute object (put back together for a spec held compactly).
    public var canonical: [UInt8] {
        switch storage {
        case .whole(let bytes): bytes
        case .compact(let spec): spec.canonical
        }
    }

    /// A spec from bytes known to be canonical JSON of an object: written by ``JSONWriter``, or
    /// accepted by ``JSONScanner/canonicalContainer(into:)``, which accepts nothing else. A digest
    /// match alone is not such proof (a hand editor can recompute a digest).
    init(canonical: [UInt8]) { storage = .whole(canonical) }

    /// A spec held compactly: its bytes are canonical JSON, as for ``init(canonical:)``.
    init(compact: CompactSpec) { storage = .compact(compact) }

    /// Whether the two specs' canonical bytes are equal.
    public static func == (a: PairSpec, b: PairSpec) -> Bool {
        switch (a.storage, b.storage) {
        case (.whole(let x), .whole(let y)): x == y
        case (.compact(let x), .compact(let y)): x.sameBytes(as: y)
        case (.whole(let x), .compact(let y)), (.compact(let y), .whole(let x)):
            x.withUnsafeBufferPointer { y.isCanonical($0) }
        }
    }

    /// Creates a spec from attributes.
    public init(attributes: [String: JSONValue]) {
        var w = JSONWriter(style: .compact)
        w.write(.object(attributes))
        storage = .whole(w.bytes)
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
        var o = CanonicalObject()
        Self.write(gateway: gateway, connection: connection, into: &o)
        storage = .whole(o.finish())
    }

    /// Writes the spec's canonical bytes into `o`, emptied first and left open for ``CanonicalObject/close()``:
    /// the planner compares them with the state's before keeping a copy.
    static func write(gateway: Gateway, connection: Connection, into o: inout CanonicalObject) {
        o.reset()
        let layout = SpecField.layout
        layout.keys.withUnsafeBufferPointer { keys in
            for step in layout.steps {
                switch step {
                case .attribute(let field, let key):
                    let key = UnsafeBufferPointer(rebasing: keys[key])
                    field.write(gateway: gateway, connection: connection, ip: 0, key: key, into: &o)
                case .perIP:
                    for i in gateway.ips.value.indices {
                        for (n, field) in layout.perIP.enumerated() {
                            guard i < SpecField.Layout.ipsWithKeys else {
                                CanonicalObject.written(key: field.key(ofIP: i)).withUnsafeBufferPointer { key in
                                    field.write(gateway: gateway, connection: connection, ip: i, key: key, into: &o)
                                }
                                continue
                            }
                            let key = UnsafeBufferPointer(rebasing: keys[layout.perIPKeys[i * layout.perIP.count + n]])
                            field.write(gateway: gateway, connection: connection, ip: i, key: key, into: &o)
                        }
                    }
                }
            }
        }
    }

    /// Writes the IKE policy's attributes, read from its box (the connection's fields hold policies boxed).
    static func add(_ box: Shared<IKEPolicy>, to o: inout CanonicalObject) {
        let p = box.value
        if let v = p.authenticationAlgorithm { o.string("ikepolicy.authentication_algorithm", v.value) }
        if let v = p.authenticationMethod { o.string("ikepolicy.authentication_method", v.value) }
        if let v = p.dhGroup { o.string("ikepolicy.dh_group", v.value) }
        if let v = p.dpd?.interval { o.int("ikepolicy.dpd.interval", v.value) }
        if let v = p.dpd?.msg { o.string("ikepolicy.dpd.msg", v.value) }
        if let v = p.dpd?.timeout { o.int("ikepolicy.dpd.timeout", v.value) }
        if let v = p.encryptionAlgorithm { o.string("ikepolicy.encryption_algorithm", v.value) }
        if let v = p.ikeVersion { o.string("ikepolicy.ike_version", v.value) }
        if let v = p.lifetimeSeconds { o.int("ikepolicy.lifetime_seconds", v.value) }
        if let v = p.localID { o.string("ikepolicy.local_id", v.value) }
        if let v = p.localIDType { o.string("ikepolicy.local_id_type", v.value) }
        if let v = p.peerID { o.string("ikepolicy.peer_id", v.value) }
        if let v = p.peerIDType { o.string("ikepolicy.peer_id_type", v.value) }
        if let v = p.phase1NegotiationMode { o.string("ikepolicy.phase1_negotiation_mode", v.value) }
    }

    /// Writes the IPsec policy's attributes, read from its box.
    static func add(_ box: Shared<IPsecPolicy>, to o: inout CanonicalObject) {
        let p = box.value
        if let v = p.authenticationAlgorithm { o.string("ipsecpolicy.authentication_algorithm", v.value) }
        if let v = p.encapsulationMode { o.string("ipsecpolicy.encapsulation_mode", v.value) }
        if let v = p.encryptionAlgorithm { o.string("ipsecpolicy.encryption_algorithm", v.value) }
        if let v = p.lifetimeSeconds { o.int("ipsecpolicy.lifetime_seconds", v.value) }
        if let v = p.pfs { o.string("ipsecpolicy.pfs", v.value) }
        if let v = p.transformProtocol { o.string("ipsecpolicy.transform_protocol", v.value) }
    }

    /// `sha256:` and the hex SHA-256 of the spec's canonical JSON (computed, unless the spec was
    /// read from a state, which checked it).
    public var digest: SpecDigest {
        switch storage {
        case .whole(let bytes): SpecDigest(rawValue: "sha256:" + SHA256.hex(bytes))
        case .compact(let spec): spec.digest
        }
    }

    /// Whether the spec's canonical bytes are `bytes`.
    func hasCanonical(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch storage {
        case .whole(let whole):
            whole.withUnsafeBufferPointer { c in
                c.count == bytes.count && (c.isEmpty || memcmp(c.baseAddress!, bytes.baseAddress!, c.count) == 0)
            }
        case .compact(let spec): spec.isCanonical(bytes)
        }
    }

    /// Whether the body of a JSON string as canonical JSON writes it is `value`.
    static func rawString(_ raw: UnsafeBufferPointer<UInt8>, equals value: String) -> Bool {
        var value = value
        let plain = value.withUTF8 { v -> Bool? in
            // The same bytes, none of them escaped, is the common case: nothing else needs a look.
            if v.count == raw.count, v.isEmpty || memcmp(v.baseAddress!, raw.baseAddress!, v.count) == 0,
               !raw.contains(UInt8(ascii: "\\")) {
                return true
            }
            for b in v where JSONWriter.needsEscape(b) { return nil }
            return false
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
    /// Each key's length: most keys of a spec are told apart by it alone.
    private let lengths: [Int]

    init(_ names: [String]) {
        self.names = names
        bytes = names.map { Array($0.utf8) }
        lengths = bytes.map(\.count)
    }

    /// The index of the key whose bytes are `key`, if any.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        for i in lengths.indices where lengths[i] == key.count {
            let same = key.isEmpty
                || bytes[i].withUnsafeBufferPointer { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }
            if same { return i }
        }
        return nil
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

    /// Whether this is `sha256:` and the lower-case hex of `sha256`, a SHA-256 (32 bytes).
    func `is`(_ sha256: UnsafeRawBufferPointer) -> Bool {
        var text = rawValue
        return text.withUTF8 { Self.text($0, is: sha256) }
    }

    /// Whether the UTF-8 `text` is `sha256:` and the lower-case hex of `sha256` (32 bytes).
    static func text(_ d: UnsafeBufferPointer<UInt8>, is sha256: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "sha256:"
        let n = prefix.utf8CodeUnitCount
        guard sha256.count == 32, d.count == n + 64, memcmp(d.baseAddress!, prefix.utf8Start, n) == 0 else {
            return false
        }
        let digits: StaticString = "0123456789abcdef"
        let hex = digits.utf8Start
        for i in 0..<32 {
            guard d[n + 2 * i] == hex[Int(sha256[i] >> 4)], d[n + 2 * i + 1] == hex[Int(sha256[i] & 0x0F)] else {
                return false
            }
        }
        return true
    }
}

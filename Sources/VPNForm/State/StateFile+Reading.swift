import LocatedYAML
import VPNCrypto
import VPNValues

extension StateFile {
    /// The largest state file read.
    static let maxBytes = 256 << 20

    /// Parses a state file's bytes, checking its structure.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The path errors name.
    /// - Throws: ``StateError/malformed(path:mark:message:)`` located at the first problem, or
    ///   ``StateError/unknownVersion(path:version:)``.
    public static func parse(_ bytes: [UInt8], path: String) throws(StateError) -> StateFile {
        try bytes.withUnsafeBufferPointer { buffer throws(StateError) in try parse(buffer, path: path) }
    }

    /// ``parse(_:path:)`` of bytes held elsewhere (a mapped file).
    /// - Parameter passed: Told, now and then, an offset below which the reader will not look again
    ///   unless it reports an error.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, path: String,
                      passed: ((Int) -> Void)? = nil) throws(StateError) -> StateFile {
        guard buffer.count <= maxBytes else {
            throw .malformed(path: path, mark: .start, message: "the file is larger than \(maxBytes >> 20) MiB")
        }
        let result: Result<StateFile, StateError> = {
            var reader = StateReader(path: path, scanner: JSONScanner(buffer))
            reader.passed = passed
            do throws(JSONReadError) {
                let (state, version) = try reader.document()
                guard version == StateFile.version else { return .failure(.unknownVersion(path: path, version: version)) }
                return .success(state)
            } catch {
                // A file of another version may differ anywhere: its version decides the message.
                if let version = StateReader.topLevelVersion(buffer), version != StateFile.version {
                    return .failure(.unknownVersion(path: path, version: version))
                }
                return .failure(reader.located(error))
            }
        }()
        return try result.get()
    }
}

/// Reads a state file token by token with ``JSONScanner``: strict JSON, every problem located,
/// duplicate keys refused. A pair's spec is kept as the canonical bytes its digest covers (held
/// compactly, ``CompactSpec``); the pretty-printed text vpnform writes becomes those bytes by
/// dropping the whitespace between its tokens, so the common case costs one checking pass and one
/// SHA-256 per pair (``JSONScanner/canonicalContainer(into:)``, which accepts only canonical JSON).
/// Any other spelling is parsed strictly and canonicalised.
struct StateReader {
    let path: String
    var s: JSONScanner
    /// Added to every line number (a journal line is read on its own).
    var lineOffset = 0
    /// Where a spec's text is stripped of whitespace, reused from pair to pair.
    private var scratch: [UInt8] = []
    /// Where the values of the spec in `scratch` lie (``JSONScanner/canonicalContainer(into:valueBounds:)``).
    private var valueBounds: [UInt32] = []
    /// The layouts of the specs read so far, which the specs kept share.
    private var layouts = SpecLayouts()
    /// Checks each spec's digest.
    private let hasher = SHA256.Hasher()
    /// Told the offset after each pair: the reader does not look before it again unless it fails.
    var passed: ((Int) -> Void)?
    /// For each layout met, which of its values each repeated field's key names
    /// (``repeatedFieldMismatch(in:valueBounds:layout:cgwID:gatewayID:records:)``).
    var repeatedFieldSlots: [ObjectIdentifier: [Int]] = [:]
    /// The last value read into each ``Repeating`` field, shared by the next pair that has it.
    private var repeated = [String](repeating: "", count: Repeating.allCases.count)

    /// Fields whose values repeat from pair to pair: a gateway's pairs are adjacent in the file and
    /// share its id and IPs, and connections created together share their time.
    enum Repeating: Int, CaseIterable {
        case gatewayID, createdAt, firstVGWIP, secondVGWIP
    }

    init(path: String, scanner: JSONScanner) {
        self.path = path
        self.s = scanner
    }

    func located(_ error: JSONReadError) -> StateError {
        let m = JSONScanner.mark(of: error.offset, in: s.bytes)
        return .malformed(path: path, mark: Mark(line: m.line + lineOffset, column: m.column), message: error.message)
    }

    /// The whole document and its version.
    mutating func document() throws(JSONReadError) -> (StateFile, version: Int) {
        guard s.peek() != nil else { throw JSONReadError(offset: s.offset, message: "the file is empty") }
        guard s.peek() == UInt8(ascii: "{") else { throw try s.notAnObject("vpnform state") }
        let rootAt = s.offset
        s.offset += 1
        var format: (String, Int)?, lineage: (String, Int)?, version: Int?, pairs: [PairAddress: PairState]?
        var cloud: CloudTarget?
        var first = true
        while let (key, at) = try s.nextKey(&first) {
            switch key {
            case "format" where format == nil:
                s.skipSpace()
                let valueAt = s.offset
                format = (try string("format"), valueAt)
            case "lineage" where lineage == nil:
                s.skipSpace()
                let valueAt = s.offset
                lineage = (try string("lineage"), valueAt)
            case "version" where version == nil:
                let first = s.peek()
                let valueAt = s.offset
                guard first == UInt8(ascii: "-") || (first.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false),
                      let v = try s.number() else { throw JSONReadError(offset: valueAt, message: "version: expected an integer") }
                version = v
            case "pairs" where pairs == nil: pairs = try pairMap()
            case "cloud" where cloud == nil: cloud = try cloudTarget()
            case "format", "lineage", "version", "pairs", "cloud": throw JSONReadError(offset: at, message: "duplicate key \"\(key)\"")
            default: throw JSONReadError(offset: at, message: "the state: unknown key \"\(key)\"")
            }
        }
        try s.expectEnd()
        guard let version else { throw JSONReadError(offset: rootAt, message: "version: required field is missing") }
        guard version == StateFile.version else { return (StateFile(lineage: ""), version) }
        guard let format else { throw JSONReadError(offset: rootAt, message: "format: required field is missing") }
        guard format.0 == StateFile.format else {
            throw JSONReadError(offset: format.1, message: "format: expected \"\(StateFile.format)\", got \"\(NodeDecoder.clip(format.0))\"")
        }
        guard let lineage else { throw JSONReadError(offset: rootAt, message: "lineage: required field is missing") }
        guard FormatRules.isUUID(lineage.0) else { throw JSONReadError(offset: lineage.1, message: "lineage: expected a UUID") }
        guard let pairs else { throw JSONReadError(offset: rootAt, message: "pairs: required field is missing") }
        return (StateFile(lineage: lineage.0, pairs: pairs, cloud: cloud), version)
    }

    /// `cloud`: `{"project_id": …, "region": …, "endpoint": …}`.
    mutating func cloudTarget() throws(JSONReadError) -> CloudTarget {
        guard s.peek() == UInt8(ascii: "{") else { throw JSONReadError(offset: s.offset, message: "cloud: expected an object") }
        let objectAt = s.offset
        s.offset += 1
        var project: String?, region: String?, endpoint: String?, first = true
        while let (key, at) = try s.nextKey(&first) {
            switch key {
            case "project_id" where project == nil: project = try string("cloud.project_id")
            case "region" where region == nil: region = try string("cloud.region")
            case "endpoint" where endpoint == nil: endpoint = try string("cloud.endpoint")
            case "project_id", "region", "endpoint": throw JSONReadError(offset: at, message: "duplicate key \"\(key)\"")
            default: throw JSONReadError(offset: at, message: "cloud: unknown key \"\(NodeDecoder.clip(key))\"")
            }
        }
        guard let project else { throw JSONReadError(offset: objectAt, message: "cloud.project_id: required field is missing") }
        return CloudTarget(projectID: project, region: region, endpoint: endpoint)
    }

    /// The top-level `version` of a document that is valid JSON, whatever else it holds.
    static func topLevelVersion(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        var scanner = JSONScanner(buffer)
        guard case .object(let o)? = try? scanner.value(), case .int(let v)? = o["version"] else { return nil }
        return v
    }

    mutating func pairMap() throws(JSONReadError) -> [PairAddress: PairState] {
        guard s.peek() == UInt8(ascii: "{") else { throw JSONReadError(offset: s.offset, message: "pairs: expected an object") }
        s.offset += 1
        var pairs: [PairAddress: PairState] = [:], first = true
        // Fewer pairs than the file could hold as vpnform writes them (over 1 KiB each): most of
        // the map's growth, without ever reserving much more than is read.
        pairs.reserveCapacity(s.bytes.count >> 11)
        while let (key, at) = try s.nextKey(&first) {
            guard Self.isPairAddress(key) else {
                throw JSONReadError(offset: at, message: "pairs: \"\(NodeDecoder.clip(key))\" is not a pair address GATEWAY/CONNECTION")
            }
            let address = PairAddress(rawValue: key)
            func duplicate() -> JSONReadError { JSONReadError(offset: at, message: "duplicate key \"\(key)\"") }
            // A repeated key is refused whatever follows it; the map is looked up only when the pair
            // is read or fails, once.
            let pair: PairState
            do throws(JSONReadError) {
                pair = try self.pair("pairs.\(key)")
            } catch {
                throw pairs[address] == nil ? error : duplicate()
            }
            guard pairs.updateValue(pair, forKey: address) == nil else { throw duplicate() }
            passed?(s.offset)
        }
        return pairs
    }

    /// Whether `key` is `GATEWAY/CONNECTION`, two handles (which cannot hold a `/`).
    static func isPairAddress(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { b in
            guard let slash = b.firstIndex(of: UInt8(ascii: "/")) else { return false }
            return ValueRules.isHandle(UnsafeBufferPointer(rebasing: b[..<slash]))
                && ValueRules.isHandle(UnsafeBufferPointer(rebasing: b[(slash + 1)...]))
        }
    }

    // MARK: Values

    /// A string; for a `field` whose values repeat, the last one when this is the same.
    mutating func string(_ what: @autoclosure () -> String,
                         _ field: Repeating? = nil) throws(JSONReadError) -> String {
        guard s.peek() == UInt8(ascii: "\"") else { throw JSONReadError(offset: s.offset, message: "\(what()): expected a string") }
        guard let field else { return try s.string() }
        return try s.string(reusing: &repeated[field.rawValue])
    }

    mutating func uuid(_ what: @autoclosure () -> String,
                       _ field: Repeating? = nil) throws(JSONReadError) -> String {
        s.skipSpace()
        let at = s.offset
        let value = try string(what(), field)
        guard FormatRules.isUUID(value) else { throw JSONReadError(offset: at, message: "\(what()): expected a UUID, got \"\(NodeDecoder.clip(value))\"") }
        return value
    }

    /// A UUID, as ``uuid(_:_:)`` reads it, held as a state holds it (no string of its own when it is
    /// in lower case, as the API writes ids).
    mutating func compactUUID(_ what: @autoclosure () -> String) throws(JSONReadError) -> CompactIDText {
        s.skipSpace()
        let at = s.offset
        guard s.peek() == UInt8(ascii: "\"") else {
            throw JSONReadError(offset: at, message: "\(what()): expected a string")
        }
        let (raw, start, plain, ascii) = try s.rawString()
        if plain, let id = CompactIDText(lowerCaseUUID: raw) { return id }
        let value = try s.decode(raw, at: start, plain: plain, ascii: ascii)
        guard FormatRules.isUUID(value) else {
            throw JSONReadError(offset: at, message: "\(what()): expected a UUID, got \"\(NodeDecoder.clip(value))\"")
        }
        return CompactIDText(value)
    }

    /// A `spec_digest` as written: where its text lies in the file when it has no escapes (as
    /// vpnform writes it: no string is made of it), else the text decoded.
    enum DigestText {
        case raw(UnsafeBufferPointer<UInt8>)
        case decoded(String)

        /// Whether the text is `sha256:` and the lower-case hex of `sha256` (32 bytes).
        func `is`(_ sha256: UnsafeRawBufferPointer) -> Bool {
            switch self {
            case .raw(let text): SpecDigest.text(text, is: sha256)
            case .decoded(let text): SpecDigest(rawValue: text).is(sha256)
            }
        }
    }

    /// The members of a pair's object.
    enum PairKey: String, CaseIterable {
        case gatewayID = "gateway_id", cgwID = "cgw_id", status, connections, spec, specDigest = "spec_digest"
    }

    /// The members of a connection's object.
    enum ConnectionKey: String, CaseIterable {
        case id, name, vgwIP = "vgw_ip", createdAt = "created_at"
    }

    static let pairKeys = KnownKeys<PairKey>()
    static let connectionKeys = KnownKeys<ConnectionKey>()
    /// A pair's statuses, matched as its keys are.
    static let statuses = KnownKeys<PairState.Status>()

    /// One pair's object.
    mutating func pair(_ what: @autoclosure () -> String) throws(JSONReadError) -> PairState {
        guard s.peek() == UInt8(ascii: "{") else { throw JSONReadError(offset: s.offset, message: "\(what()): expected an object") }
        let objectAt = s.offset
        s.offset += 1
        var gatewayID: String?, cgwID: CompactIDText?, status: PairState.Status?, digest: (DigestText, Int)?
        var connections: ([ConnectionRecord], Int)?, spec: (stripped: Bool, at: Int)?
        var first = true
        while let (key, text, at) = try s.nextKey(&first, in: Self.pairKeys) {
            switch key {
            case .gatewayID? where gatewayID == nil: gatewayID = try uuid("\(what()).gateway_id", .gatewayID)
            case .cgwID? where cgwID == nil: cgwID = try compactUUID("\(what()).cgw_id")
            case .status? where status == nil:
                s.skipSpace()
                let valueAt = s.offset
                // As vpnform writes it, matched without making a string; else read as any string.
                let rest = UnsafeBufferPointer(rebasing: s.bytes[valueAt...])
                if let (value, count) = Self.statuses.quotedKey(at: rest) {
                    s.offset = valueAt + count
                    status = value
                    continue
                }
                let text = try string("\(what()).status")
                guard let value = PairState.Status(rawValue: text) else {
                    let expected = "expected pending, created, updating or deleting"
                    throw JSONReadError(offset: valueAt,
                                        message: "\(what()).status: \(expected), got \"\(NodeDecoder.clip(text))\"")
                }
                status = value
            case .connections? where connections == nil:
                s.skipSpace()
                let listAt = s.offset
                connections = (try connectionList(what()), listAt)
            case .spec? where spec == nil:
                s.skipSpace()
                let specAt = s.offset
                guard s.peek() == UInt8(ascii: "{") else { throw JSONReadError(offset: specAt, message: "\(what()).spec: expected an object") }
                scratch.removeAll(keepingCapacity: true)
                if s.canonicalContainer(into: &scratch, valueBounds: &valueBounds) {
                    spec = (true, specAt)  // the canonical bytes are in `scratch` until the next pair
                } else {
                    s.offset = specAt
                    _ = try s.value()  // throws where the text goes wrong
                    spec = (false, specAt)
                }
            case .specDigest? where digest == nil:
                s.skipSpace()
                let valueAt = s.offset
                guard s.peek() == UInt8(ascii: "\"") else {
                    throw JSONReadError(offset: valueAt, message: "\(what()).spec_digest: expected a string")
                }
                let (raw, start, plain, ascii) = try s.rawString()
                digest = (plain && ascii ? .raw(raw) : .decoded(try s.decode(raw, at: start, plain: plain, ascii: ascii)),
                          valueAt)
            case let key?:
                throw JSONReadError(offset: at, message: "duplicate key \"\(text ?? key.rawValue)\"")
            case nil:
                throw JSONReadError(offset: at, message: "\(what()): unknown key \"\(NodeDecoder.clip(text ?? ""))\"")
            }
        }
        func missing(_ key: String) -> JSONReadError { JSONReadError(offset: objectAt, message: "\(key): required field is missing") }
        guard let gatewayID else { throw missing("gateway_id") }
        guard let cgwID else { throw missing("cgw_id") }
        guard let status else { throw missing("status") }
        guard let (records, listAt) = connections else { throw missing("connections") }
        guard let specText = spec else { throw missing("spec") }
        guard let (specDigest, digestAt) = digest else { throw missing("spec_digest") }
        if status == .created || status == .updating, let i = records.firstIndex(where: { !$0.hasID }) {
            throw JSONReadError(offset: listAt, message: "\(what()).connections[\(i)]: a created pair's connection needs its id")
        }
        // The spec's canonical bytes: the text without its whitespace (the common case, which
        // accepts only canonical JSON), else the text parsed and written canonically.
        let canonical: [UInt8]
        if specText.stripped {
            canonical = scratch
        } else {
            var scanner = JSONScanner(s.bytes, at: specText.at)
            guard case .object(let attributes) = try scanner.value() else {
                throw JSONReadError(offset: specText.at, message: "\(what()).spec: expected an object")
            }
            canonical = PairSpec(attributes: attributes).canonical
            canonical.withUnsafeBufferPointer { PairSpec.noteValueBounds(of: $0, into: &valueBounds) }
        }
        let bounds = valueBounds
        let checked = canonical.withUnsafeBufferPointer { b in
            bounds.withUnsafeBufferPointer { v -> Result<PairSpec, JSONReadError> in
                withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { sha in
                    hasher.digest(UnsafeRawBufferPointer(b), into: sha)
                    guard specDigest.is(UnsafeRawBufferPointer(sha)) else {
                        let message = "\(what()).spec_digest does not match its spec (was the file edited by hand?)"
                        return .failure(JSONReadError(offset: digestAt, message: message))
                    }
                    // A state keeps one spec per pair: compactly, when it can.
                    let compact = layouts.compact(b, valueBounds: v, digest: UnsafeRawBufferPointer(sha))
                    // The fields beside the spec repeat it; a hand edit of one without the other is refused.
                    if let key = repeatedFieldMismatch(in: b, valueBounds: v, layout: compact?.layout, cgwID: cgwID,
                                                       gatewayID: gatewayID, records: records) {
                        let message = "\(what()).\(key) does not agree with its spec (was the file edited by hand?)"
                        return .failure(JSONReadError(offset: objectAt, message: message))
                    }
                    if let compact { return .success(PairSpec(compact: compact)) }
                    return .success(PairSpec(canonical: canonical.sizedCopy()))
                }
            }
        }
        return PairState(gatewayID: GatewayID(gatewayID), storedCGWID: cgwID, connections: records,
                         spec: try checked.get(), status: status)
    }

    /// The spec keys the fields beside a spec repeat, in the order they are checked: for a pair of
    /// one connection and of two (``connectionList(_:)`` allows no other).
    static let repeatedKeys: [SpecKeys] = [1, 2].map { n in
        let perConnection = (0..<n).flatMap { ["connections[\($0)].name", "connections[\($0)].vgw_ip"] }
        return SpecKeys(["cgw_id"] + perConnection + ["gateway_id"])
    }

    /// The `connections` list: one or two records.
    mutating func connectionList(_ what: @autoclosure () -> String) throws(JSONReadError) -> [ConnectionRecord] {
        let listAt = s.offset
        guard s.peek() == UInt8(ascii: "[") else { throw JSONReadError(offset: listAt, message: "\(what()).connections: expected a list of 1 or 2 connections") }
        s.offset += 1
        var records: [ConnectionRecord] = [], first = true
        records.reserveCapacity(2)  // at most two: one allocation, not two
        while try s.nextElement(&first) {
            guard records.count < 2 else { throw JSONReadError(offset: listAt, message: "\(what()).connections: expected a list of 1 or 2 connections") }
            records.append(try connection("\(what()).connections[\(records.count)]",
                                          vgwIP: records.isEmpty ? .firstVGWIP : .secondVGWIP))
        }
        guard !records.isEmpty else { throw JSONReadError(offset: listAt, message: "\(what()).connections: expected a list of 1 or 2 connections") }
        return records
    }

    mutating func connection(_ what: @autoclosure () -> String,
                             vgwIP field: Repeating) throws(JSONReadError) -> ConnectionRecord {
        guard s.peek() == UInt8(ascii: "{") else { throw JSONReadError(offset: s.offset, message: "\(what()): expected an object") }
        let objectAt = s.offset
        s.offset += 1
        var id: CompactIDText?, name: String?, vgwIP: String?, createdAt: String?, first = true
        while let (key, text, at) = try s.nextKey(&first, in: Self.connectionKeys) {
            switch key {
            case .id? where id == nil: id = try compactUUID("\(what()).id")
            case .name? where name == nil: name = try string("\(what()).name")
            case .vgwIP? where vgwIP == nil: vgwIP = try string("\(what()).vgw_ip", field)
            case .createdAt? where createdAt == nil: createdAt = try string("\(what()).created_at", .createdAt)
            case let key?: throw JSONReadError(offset: at, message: "duplicate key \"\(text ?? key.rawValue)\"")
            case nil:
                throw JSONReadError(offset: at, message: "\(what()): unknown key \"\(NodeDecoder.clip(text ?? ""))\"")
            }
        }
        guard let name else { throw JSONReadError(offset: objectAt, message: "name: required field is missing") }
        guard let vgwIP else { throw JSONReadError(offset: objectAt, message: "vgw_ip: required field is missing") }
        return ConnectionRecord(storedID: id, name: name, vgwIP: vgwIP, createdAt: createdAt)
    }

    /// One journal line: `{"address": …, "pair": {…} or null}`.
    mutating func journalEntry(_ lineNumber: Int) throws(JSONReadError) -> (String, PairState?) {
        let notEntry = JSONReadError(offset: 0, message: "journal line \(lineNumber) is not a journal entry")
        guard s.peek() == UInt8(ascii: "{") else {
            _ = try s.notAnObject("journal entry")
            throw notEntry
        }
        s.offset += 1
        var address: String?, pair: PairState??, first = true
        while let (key, _) = try s.nextKey(&first) {
            switch key {
            case "address" where address == nil: address = try string("address")
            case "pair" where pair == nil: pair = s.literal("null") ? .some(nil) : try self.pair("journal line \(lineNumber)")
            default: throw notEntry
            }
        }
        try s.expectEnd()
        guard let address, let pair else { throw notEntry }
        return (address, pair)
    }
}

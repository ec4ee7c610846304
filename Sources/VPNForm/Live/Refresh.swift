/// Brings a state up to date with a ``LiveView``: what the planner diffs a refreshed plan against.
///
/// Only pairs on gateways the view covers are touched. A pair being deleted loses the connections
/// that are gone (and leaves the state when none is left). A created (or updating) pair whose connections are all
/// gone leaves the state (so a desired one is planned for creation); one with some gone becomes
/// pending (so apply looks for the rest by name and creates only what is missing); one whose
/// attributes changed gets the live values in its spec (so the plan shows desired against live).
/// Only attributes the spec sets are compared: the API fills in defaults for the others, and it
/// never returns a pre-shared key.
public struct Refresh: Sendable, Equatable {
    /// The state as the live API shows it.
    public var state: StateFile
    /// What differs, sorted by address (unmanaged connections last, by gateway and name).
    public var drift: [Drift]
    /// The live status of each recorded connection, per pair, in the state's order.
    public var statuses: [PairAddress: [String]]

    /// Refreshes `state` with `live`; `desired` tells which unclaimed connections apply would adopt.
    public init(state: StateFile, live: LiveView, desired: DesiredState) {
        var refreshed = state
        var drift: [Drift] = []
        var statuses: [PairAddress: [String]] = [:]
        var byID: [ConnectionID: LiveConnection] = [:]
        for c in live.connections { byID[c.id] = c }
        var claimed = Set<ConnectionID>()
        var desiredIndex: [PairAddress: (Gateway, Connection)]?
        func desiredSpec(_ address: PairAddress) -> PairSpec? {
            if desiredIndex == nil {
                desiredIndex = [:]
                for g in desired.gateways { for c in g.connections { desiredIndex![g.address(of: c)] = (g, c) } }
            }
            return desiredIndex![address].map { PairSpec(gateway: $0.0, connection: $0.1) }
        }
        for (address, pair) in state.pairs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for c in pair.connections { if let id = c.id { claimed.insert(id) } }
            guard pair.status != .pending, live.gateways.contains(pair.gatewayID) else { continue }
            if pair.status == .deleting {
                // An interrupted delete: what is gone needs no second delete.
                var left = pair
                for i in left.connections.indices where left.connections[i].id.flatMap({ byID[$0] }) == nil {
                    left.connections[i].id = nil
                }
                refreshed.pairs[address] = left.connections.allSatisfy { $0.id == nil } ? nil : left
                continue
            }
            let found = pair.connections.map { $0.id.flatMap { byID[$0] } }
            statuses[address] = found.map { $0?.status ?? "DELETED" }
            let gone = zip(pair.connections, found).filter { $0.1 == nil }.map(\.0)
            if !gone.isEmpty {
                drift.append(Drift(address: address, kind: .deleted(gone)))
                if gone.count == pair.connections.count {
                    refreshed.pairs[address] = nil
                    statuses[address] = nil
                } else {
                    refreshed.pairs[address]?.status = .pending
                }
                continue
            }
            let changes = Self.changes(pair.spec, found)
            if !changes.isEmpty {
                drift.append(Drift(address: address, kind: .changed(changes)))
                // Connections that disagree (an update interrupted between its PUTs): record a value
                // the file does not want, so the pair is planned for an update again.
                let wanted = desiredSpec(address)
                let spec = Self.spec(pair.spec, with: Self.changes(pair.spec, found, avoiding: wanted))
                refreshed.pairs[address]?.spec = spec
            }
        }
        // Connections no pair claims: a desired pair's, to adopt, or unmanaged.
        var expected: [String: PairAddress] = [:]
        for gateway in desired.gateways where live.gateways.contains(gateway.id.value) {
            for connection in gateway.connections where refreshed.pairs[gateway.address(of: connection)] == nil {
                for name in gateway.apiNames(of: connection) {
                    expected[gateway.id.value.rawValue + "/" + name.value] = gateway.address(of: connection)
                }
            }
        }
        var adoptable: [PairAddress: [LiveConnection]] = [:]
        var unmanaged: [Drift] = []
        for c in live.connections where !claimed.contains(c.id) {
            if let address = expected[c.gatewayID.rawValue + "/" + c.name] {
                adoptable[address, default: []].append(c)
            } else {
                unmanaged.append(Drift(address: nil, kind: .unmanaged(c)))
            }
        }
        for (address, connections) in adoptable {
            drift.append(Drift(address: address, kind: .adoptable(connections)))
            statuses[address] = connections.map(\.status)
        }
        drift.sort { ($0.address?.rawValue ?? "") < ($1.address?.rawValue ?? "") }
        unmanaged.sort {
            guard case .unmanaged(let a) = $0.kind, case .unmanaged(let b) = $1.kind else { return false }
            return (a.gatewayID.rawValue, a.name) < (b.gatewayID.rawValue, b.name)
        }
        self.state = refreshed
        self.drift = drift + unmanaged
        self.statuses = statuses
    }

    /// `spec` with the values of `changes` (live values) in place of its own.
    public static func spec(_ spec: PairSpec, with changes: [AttributeChange]) -> PairSpec {
        guard !changes.isEmpty else { return spec }
        var attributes = spec.attributes
        for c in changes { attributes[c.attribute] = c.new }
        return PairSpec(attributes: attributes)
    }

    /// The attributes of `spec` whose live value differs: pair-wide ones against every live
    /// connection (the first that differs is reported), `connections[i].…` against connection i.
    /// - Parameter live: The pair's live connections by index (`nil` where none was found).
    /// - Parameter avoiding: When the connections disagree on a pair-wide attribute, report a value
    ///   that differs from this spec's (the desired one), so that the pair is planned for an update.
    public static func changes(_ spec: PairSpec, _ live: [LiveConnection?],
                               avoiding: PairSpec? = nil) -> [AttributeChange] {
        let avoided = avoiding?.attributes
        var changes: [AttributeChange] = []
        for (key, value) in spec.attributes.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            guard !Self.unchecked.contains(key) else { continue }
            if key.hasPrefix("connections[") {
                guard let close = key.firstIndex(of: "]"),
                      let i = Int(key[key.index(key.startIndex, offsetBy: 12)..<close]), i < live.count,
                      let connection = live[i] else { continue }
                let field = String(key[key.index(close, offsetBy: 2)...])
                guard field != "vgw_ip" else { continue }
                let now = connection.attributes[field]
                if !Self.same(value, now, key: field) { changes.append(AttributeChange(attribute: key, old: value, new: now)) }
            } else if let differing = live.compactMap({ $0 }).first(where: { !Self.same(value, $0.attributes[key], key: key) }) {
                var new = differing.attributes[key]
                if let avoided, let want = avoided[key], Self.same(want, new, key: key),
                   let other = live.compactMap({ $0 })
                       .first(where: { !Self.same(want, $0.attributes[key], key: key) }) {
                    new = other.attributes[key]
                }
                changes.append(AttributeChange(attribute: key, old: value, new: new))
            }
        }
        return changes
    }

    /// Never compared: the key is not returned (`psk`), or is how the connection was found.
    static let unchecked: Set<String> = ["psk", "gateway_id"]

    /// Equal as the API means them: policy rules may come back split one destination a rule.
    static func same(_ a: JSONValue, _ b: JSONValue?, key: String) -> Bool {
        guard let b else { return false }
        if key == "policy_rules" { return Self.ruleSet(a) == Self.ruleSet(b) }
        return a == b
    }

    /// Policy rules as a set of (source, destination) pairs.
    static func ruleSet(_ v: JSONValue) -> Set<String> {
        guard case .array(let rules) = v else { return [] }
        var set = Set<String>()
        for case .object(let r) in rules {
            guard case .string(let source)? = r["source"], case .array(let destinations)? = r["destination"] else { continue }
            for case .string(let d) in destinations { set.insert(source + " " + d) }
        }
        return set
    }
}

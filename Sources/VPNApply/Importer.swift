import VPNAPI
import VPNForm

/// `vpnform import`: reads gateways and their connections, groups the connections into pairs
/// (same customer gateway and spec, one on each gateway IP; one that pairs with nothing on a
/// one-IP gateway becomes a one-IP pair) and produces both the desired-state text for them, every
/// field explicit and `${PSK_…}` placeholders for the keys, and the state records, so that a plan
/// of the imported file against the state shows no change.
public struct Importer: Sendable {
    /// The outcome: the file's text, the gateway blocks alone, and the state with the pairs added.
    public struct Result: Sendable {
        /// A whole desired-state file.
        public var file: String
        /// The `gateways:` items only (to paste into an existing file).
        public var gatewayBlocks: String
        /// The state, with every imported pair recorded as created.
        public var state: StateFile
        /// The addresses imported, sorted.
        public var imported: [PairAddress]
        /// Connections left out, each with the reason.
        public var skipped: [String]
    }

    /// Why an import stops before writing anything.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case api(VPNAPIError)
        case gatewayNotFound(String)
        /// A connection the state records under another address.
        case recordedElsewhere(connection: String, address: PairAddress, wouldBe: PairAddress)
        /// An address the state holds with other connections.
        case addressTaken(PairAddress)
        /// The generated file did not pass vpnform's own checks (a value the API allows and vpnform does not).
        case invalid([Diagnostic])

        public var description: String {
            switch self {
            case .api(let e): return "could not read the live API: \(e)"
            case .gatewayNotFound(let id): return "gateway \(id) does not exist in this project"
            case let .recordedElsewhere(connection, address, wouldBe):
                return "connection \(connection) is already recorded in the state as \(address); importing it as \(wouldBe) would "
                    + "manage it twice (move it with `vpnform state mv`, or leave it out)"
            case .addressTaken(let a): return "the state already holds \(a) with other connections; nothing was imported"
            case .invalid(let d):
                return "the imported file does not pass vpnform's checks:\n" + d.map(\.description).joined(separator: "\n")
            }
        }
    }

    let client: VPNClient

    public init(client: VPNClient) { self.client = client }

    /// Imports `gatewayIDs` into `state`.
    /// - Parameters:
    ///   - desired: The user's desired file, if any: its gateway names are reused as handles.
    public func run(gatewayIDs: [String], state: StateFile, desired: DesiredState?, header: CloudTarget) async throws(Failure) -> Result {
        var blocks = "", skipped: [String] = []
        var newState = state
        var imported: [PairAddress] = []
        var usedHandles = Set(desired?.gateways.map(\.name.value) ?? [])
        var recordedAt: [ConnectionID: PairAddress] = [:]
        for (address, pair) in state.pairs { for c in pair.connections { if let id = c.id { recordedAt[id] = address } } }
        var pending: [(gatewayBlock: String, pairs: [(PairAddress, ImportedPair)])] = []
        for id in gatewayIDs {
            let gateway: VPNGateway, connections: [VPNConnection]
            do {
                gateway = try await client.showGateway(id: id)
                connections = try await client.listConnections(vgwID: id)
            } catch .api(let body) where body.status == 404 {
                throw .gatewayNotFound(id)
            } catch {
                throw .api(error)
            }
            let handle = Self.gatewayHandle(gateway, desired: desired, state: state, used: &usedHandles)
            let (ips, pairs, left) = Self.group(connections, gateway: gateway, gatewayHandle: handle)
            skipped += left
            guard !pairs.isEmpty else { continue }
            var block = "  - name: \(ImportedPair.scalar(handle))\n    id: \(ImportedPair.scalar(id))\n"
            block += "    ips: \(ImportedPair.list(ips))\n    connections:\n"
            var kept: [(PairAddress, ImportedPair)] = []
            for pair in pairs {
                let address = PairAddress(gateway: handle, connection: pair.handle)
                let recorded = pair.connections.compactMap { recordedAt[ConnectionID($0.id)] }
                if let elsewhere = recorded.first(where: { $0 != address }) {
                    throw .recordedElsewhere(connection: pair.connections[0].name ?? pair.connections[0].id, address: elsewhere,
                                             wouldBe: address)
                }
                if recorded.count == pair.connections.count {
                    skipped.append("\(address): already managed")
                    continue
                }
                if state.pairs[address] != nil { throw .addressTaken(address) }
                block += pair.yaml(gateway: handle, standby: gateway.haMode == "active-standby")
                kept.append((address, pair))
            }
            if !kept.isEmpty { pending.append((block, kept)) }
        }
        guard !pending.isEmpty else { return Result(file: "", gatewayBlocks: "", state: state, imported: [], skipped: skipped) }
        for p in pending { blocks += p.gatewayBlock }
        let file = Self.header(header) + "gateways:\n" + blocks
        // The records come from the file itself, so the plan of that file against them is empty.
        let loaded = DesiredStateLoader().load(bytes: Array(file.utf8), file: "imported.yaml")
        guard loaded.isValid, let parsed = loaded.state else { throw .invalid(loaded.diagnostics.filter { $0.severity == .error }) }
        for p in pending {
            for (address, pair) in p.pairs {
                guard let g = parsed.gateways.first(where: { $0.name.value == address.gateway }),
                      let c = g.connections.first(where: { $0.name.value == address.connection }) else { continue }
                let desiredPair = DesiredPair(gateway: g, connection: c)
                let records = pair.connections.map { LiveConnection($0).record }
                newState.pairs[address] = .created(desiredPair, connections: records)
                imported.append(address)
            }
        }
        return Result(file: file, gatewayBlocks: blocks, state: newState, imported: imported.sorted { $0.rawValue < $1.rawValue },
                      skipped: skipped)
    }

    static func header(_ h: CloudTarget) -> String {
        var text = "# Written by `vpnform import` from project \(h.projectID)"
        text += h.endpoint.map { ", endpoint \($0)" } ?? h.region.map { ", region \($0)" } ?? ""
        text += ".\n# Pre-shared keys are not readable through the API: set each ${PSK_…} variable before an apply\n"
        text += "# that sends one (apply sends a key only when it creates a connection).\n"
        text += "version: 1\nproject_id: \(ImportedPair.scalar(h.projectID))\n"
        if let endpoint = h.endpoint { text += "endpoint: \(ImportedPair.scalar(endpoint))\n" }
        if let region = h.region { text += "region: \(ImportedPair.scalar(region))\n" }
        return text
    }

    /// The handle of an imported gateway: the desired file's name for it, else the state's, else
    /// its API name made a handle (made unique).
    static func gatewayHandle(_ g: VPNGateway, desired: DesiredState?, state: StateFile, used: inout Set<String>) -> String {
        if let named = desired?.gateways.first(where: { $0.id.value.rawValue == g.id }) { return named.name.value }
        if let address = state.pairs.first(where: { $0.value.gatewayID.rawValue == g.id })?.key { return address.gateway }
        var handle = ImportedPair.handle(g.name ?? "gw-" + g.id.prefix(8)), n = 2
        let base = handle
        while used.contains(handle) {
            handle = "\(base.prefix(60))-\(n)"
            n += 1
        }
        used.insert(handle)
        return handle
    }

    /// Groups a gateway's connections into pairs. Returns the gateway IPs the pairs use, the pairs,
    /// and the connections that cannot be expressed (a lone connection on a two-IP gateway).
    static func group(_ connections: [VPNConnection], gateway: VPNGateway, gatewayHandle: String)
        -> (ips: [String], pairs: [ImportedPair], skipped: [String]) {
        let used = gateway.connectionIPs.filter { ip in connections.contains { $0.vgwIP == ip } }
        let ips = used.isEmpty ? Array(gateway.connectionIPs.prefix(1)) : Array(used.prefix(2))
        var byIP = ips.map { ip in connections.filter { $0.vgwIP == ip }.sorted { ($0.createdAt ?? "", $0.id) < ($1.createdAt ?? "", $1.id) } }
        var pairs: [ImportedPair] = [], skipped: [String] = []
        var handles = Set<String>()
        func uniqueHandle(_ wanted: String) -> String {
            var h = ImportedPair.handle(wanted), n = 2
            let base = h
            while handles.contains(h) { h = "\(base.prefix(60))-\(n)"; n += 1 }
            handles.insert(h)
            return h
        }
        let prefix = gatewayHandle + "-"
        func connectionHandle(_ stem: String) -> String {
            stem.hasPrefix(prefix) && stem.count > prefix.count ? String(stem.dropFirst(prefix.count)) : stem
        }
        if ips.count == 2 {
            for first in byIP[0] {
                let key = ImportedPair.pairKey(first), stem = ImportedPair.stem(first.name ?? first.id)
                let candidates = byIP[1].indices.filter { ImportedPair.pairKey(byIP[1][$0]) == key }
                guard let j = candidates.first(where: { ImportedPair.stem(byIP[1][$0].name ?? "") == stem }) ?? candidates.first else {
                    skipped.append("\(first.name ?? first.id) (\(first.id)): pairs with no connection on \(ips[1]); vpnform gives "
                                   + "every pair of a two-IP gateway one connection per IP")
                    continue
                }
                let second = byIP[1].remove(at: j)
                pairs.append(ImportedPair(handle: uniqueHandle(connectionHandle(stem)), connections: [first, second]))
            }
            for lone in byIP[1] {
                skipped.append("\(lone.name ?? lone.id) (\(lone.id)): pairs with no connection on \(ips[0]); vpnform gives every pair "
                               + "of a two-IP gateway one connection per IP")
            }
        } else if let only = byIP.first {
            for c in only {
                pairs.append(ImportedPair(handle: uniqueHandle(connectionHandle(ImportedPair.stem(c.name ?? c.id))), connections: [c]))
            }
        }
        return (ips, pairs, skipped)
    }
}

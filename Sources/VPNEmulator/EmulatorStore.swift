import Foundation
import VPNAPI

/// The emulator's data: in memory, optionally mirrored to a JSON file after every change so a
/// restarted emulator (or a test that killed the client) sees the same connections and gateways.
struct EmulatorStore {
    private(set) var connections: [String: StoredConnection] = [:]
    /// Gateways by ``StoredGateway/key(project:id:)``.
    private(set) var gateways: [String: StoredGateway] = [:]
    /// Connections per project and gateway, by ``usedKey(project:gateway:)``: kept with every change
    /// so answering a gateway or checking its quota does not scan every connection.
    private var used: [String: Int] = [:]
    private var lastMillis: [String: Int64] = [:]
    private var tunnelCounter = 0
    /// Connections in `PENDING_DELETE`, by id: when each goes (see ``purgeDeleted(atMillis:)``).
    private var deleting: [String: Int64] = [:]
    let dataFile: String?

    init(dataFile: String?) throws {
        self.dataFile = dataFile
        guard let dataFile, FileManager.default.fileExists(atPath: dataFile) else { return }
        let data = try Data(contentsOf: URL(fileURLWithPath: dataFile))
        let saved = try JSONDecoder().decode(Saved.self, from: data)
        for c in saved.connections {
            insert(c)
            lastMillis[c.projectID] = max(lastMillis[c.projectID] ?? 0, c.createdMillis)
        }
        for g in saved.gateways ?? [] { gateways[g.key] = g }
        tunnelCounter = saved.tunnelCounter
    }

    private struct Saved: Codable {
        var connections: [StoredConnection]
        /// Absent in data files written before the emulator had gateways.
        var gateways: [StoredGateway]?
        var tunnelCounter: Int
        enum CodingKeys: String, CodingKey { case connections, gateways, tunnelCounter = "tunnel_counter" }
    }

    /// A creation time after every earlier one of the project.
    mutating func nextMillis(project: String, now: Date) -> Int64 {
        let millis = max(Int64(now.timeIntervalSince1970 * 1000), (lastMillis[project] ?? 0) + 1)
        lastMillis[project] = millis
        return millis
    }

    /// The next automatic tunnel /30 (skipping 169.254.195.0/24).
    mutating func nextTunnelPair() -> (String, String) {
        while true {
            let n = tunnelCounter
            tunnelCounter += 1
            let third = (n / 64) % 256, fourth = (n % 64) * 4
            if third == 195 { continue }
            return ("169.254.\(third).\(fourth + 1)/30", "169.254.\(third).\(fourth + 2)/30")
        }
    }

    // MARK: Connections

    mutating func insert(_ c: StoredConnection) {
        if let old = connections.updateValue(c, forKey: c.connection.id) { count(old, -1) }
        count(c, 1)
        if let settle = c.settle, settle.status == StoredConnection.deleted {
            deleting[c.connection.id] = settle.atMillis
        } else {
            deleting[c.connection.id] = nil
        }
    }

    mutating func remove(_ id: String) -> StoredConnection? {
        deleting[id] = nil
        guard let old = connections.removeValue(forKey: id) else { return nil }
        count(old, -1)
        return old
    }

    /// Removes the connections whose `PENDING_DELETE` has run out; whether any went.
    mutating func purgeDeleted(atMillis now: Int64) -> Bool {
        guard !deleting.isEmpty else { return false }
        let due = deleting.filter { $0.value <= now }.map(\.key)
        for id in due { _ = remove(id) }
        return !due.isEmpty
    }

    /// How many connections `project` has on `gateway`.
    func usedConnections(project: String, gateway: String) -> Int {
        used[Self.usedKey(project: project, gateway: gateway)] ?? 0
    }

    /// How many connections every project has on `gateway`.
    func usedConnections(gateway: String) -> Int {
        connections.values.reduce(0) { $0 + ($1.connection.vgwID == gateway ? 1 : 0) }
    }

    private static func usedKey(project: String, gateway: String) -> String { "\(project)/\(gateway)" }

    private mutating func count(_ c: StoredConnection, _ delta: Int) {
        used[Self.usedKey(project: c.projectID, gateway: c.connection.vgwID ?? ""), default: 0] += delta
    }

    // MARK: Gateways

    /// The gateway `id` as `project` sees it: its own, else one visible in every project.
    func gateway(id: String, project: String) -> StoredGateway? {
        gateways[StoredGateway.key(project: project, id: id)] ?? gateways[StoredGateway.key(project: nil, id: id)]
    }

    /// Every gateway `project` sees (its own win over same-id ones visible everywhere), oldest first.
    func gateways(project: String) -> [StoredGateway] {
        gateways.values.filter { g in
            g.projectID == project
                || (g.projectID == nil && gateways[StoredGateway.key(project: project, id: g.gateway.id)] == nil)
        }.sorted(by: Self.order)
    }

    /// Every stored gateway, oldest first.
    var allGateways: [StoredGateway] { gateways.values.sorted(by: Self.order) }

    private static func order(_ a: StoredGateway, _ b: StoredGateway) -> Bool {
        (a.createdMillis, a.key) < (b.createdMillis, b.key)
    }

    mutating func put(_ g: StoredGateway) { gateways[g.key] = g }

    // MARK: File

    /// Writes the data file, if any, atomically.
    func persist() throws {
        guard let dataFile else { return }
        try save(to: dataFile)
    }

    /// Writes everything held to `path`, in the data file's format.
    func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let saved = Saved(connections: connections.values.sorted { $0.createdMillis < $1.createdMillis },
                          gateways: allGateways, tunnelCounter: tunnelCounter)
        try encoder.encode(saved).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

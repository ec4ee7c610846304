import Foundation
import VPNAPI

/// One stored connection and the project it belongs to.
struct StoredConnection: Codable, Sendable {
    var projectID: String
    var connection: VPNConnection
    /// Milliseconds since 1970, strictly increasing per project: the list order and paging marker.
    var createdMillis: Int64

    enum CodingKeys: String, CodingKey { case projectID = "project_id", connection, createdMillis = "created_ms" }
}

/// The emulator's data: in memory, optionally mirrored to a JSON file after every change so a
/// restarted emulator (or a test that killed the client) sees the same connections.
struct EmulatorStore {
    private(set) var connections: [String: StoredConnection] = [:]
    private var lastMillis: [String: Int64] = [:]
    private var tunnelCounter = 0
    let dataFile: String?

    init(dataFile: String?) throws {
        self.dataFile = dataFile
        guard let dataFile, FileManager.default.fileExists(atPath: dataFile) else { return }
        let data = try Data(contentsOf: URL(fileURLWithPath: dataFile))
        let saved = try JSONDecoder().decode(Saved.self, from: data)
        for c in saved.connections {
            connections[c.connection.id] = c
            lastMillis[c.projectID] = max(lastMillis[c.projectID] ?? 0, c.createdMillis)
        }
        tunnelCounter = saved.tunnelCounter
    }

    private struct Saved: Codable {
        var connections: [StoredConnection]
        var tunnelCounter: Int
        enum CodingKeys: String, CodingKey { case connections, tunnelCounter = "tunnel_counter" }
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

    mutating func insert(_ c: StoredConnection) { connections[c.connection.id] = c }

    mutating func remove(_ id: String) -> StoredConnection? { connections.removeValue(forKey: id) }

    /// Writes the data file, if any, atomically.
    func persist() throws {
        guard let dataFile else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let saved = Saved(connections: connections.values.sorted { $0.createdMillis < $1.createdMillis }, tunnelCounter: tunnelCounter)
        try encoder.encode(saved).write(to: URL(fileURLWithPath: dataFile), options: .atomic)
    }
}

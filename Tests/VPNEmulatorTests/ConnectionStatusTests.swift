import Foundation
import Synchronization
import Testing
import VPNAPI
import VPNEmulator

/// A connection's status over time: PENDING_CREATE until `settle` has passed, then DOWN, or ERROR
/// under the `error-status` fault.
@Suite struct ConnectionStatusTests {
    typealias F = LoopbackFixture

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    }

    static func emulator(clock: ManualClock, settle: Duration, faults: [FaultRule] = [],
                         dataFile: String? = nil) throws -> VPNEmulator {
        try GatewayTests.emulator {
            $0.settle = settle
            $0.faults = faults
            $0.dataFile = dataFile
            $0.now = { clock.now }
        }
    }

    func status(_ e: VPNEmulator, _ id: String) throws -> String? {
        let reply = e.handle(EmulatorHandlerTests.request("GET", "/v5/\(F.project)/vpn-connection/\(id)"))
        guard case .respond(200, _, let body) = reply else { return nil }
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return (object?["vpn_connection"] as? [String: Any])?["status"] as? String
    }

    func listedStatuses(_ e: VPNEmulator) throws -> [String?] {
        let reply = e.handle(EmulatorHandlerTests.request("GET", "/v5/\(F.project)/vpn-connection"))
        guard case .respond(200, _, let body) = reply else { return [] }
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return (object?["vpn_connections"] as? [[String: Any]] ?? []).map { $0["status"] as? String }
    }

    /// Creates one connection; returns its id and the create answer's item.
    func create(_ e: VPNEmulator) throws -> (id: String, item: [String: Any]) {
        let reply = e.handle(EmulatorHandlerTests.create(EmulatorHandlerTests.item()))
        #expect(reply.status == 201)
        guard case .respond(_, _, let body) = reply,
              let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let item = (object["vpn_connections"] as? [[String: Any]])?.first, let id = item["id"] as? String else {
            throw CancellationError()
        }
        return (id, item)
    }

    @Test("PENDING_CREATE in show, list and connections() until settle has passed, then DOWN")
    func settles() throws {
        let clock = ManualClock()
        let e = try Self.emulator(clock: clock, settle: .seconds(5))
        let (id, item) = try create(e)
        #expect(item["status"] == nil, "the create answer has no status")
        #expect(try status(e, id) == "PENDING_CREATE")
        #expect(try listedStatuses(e) == ["PENDING_CREATE"])
        clock.advance(4.999)
        #expect(e.connections().map(\.status) == ["PENDING_CREATE"])
        clock.advance(0.001)
        #expect(try status(e, id) == "DOWN")
        #expect(try listedStatuses(e) == ["DOWN"])
        #expect(e.connections().map(\.status) == ["DOWN"])
    }

    @Test("without settle a connection is DOWN at once")
    func immediate() throws {
        let e = try Self.emulator(clock: ManualClock(), settle: .zero)
        let (id, _) = try create(e)
        #expect(try status(e, id) == "DOWN")
    }

    @Test("the error-status fault: created and answered 201, then ERROR once settled", arguments: [0, 2])
    func errorStatus(settleSeconds: Int) throws {
        let clock = ManualClock()
        let fault = try FaultRule.parse("batch-create:error-status:1").get()
        let e = try Self.emulator(clock: clock, settle: .seconds(settleSeconds), faults: [fault])
        let (id, _) = try create(e)
        #expect(try status(e, id) == (settleSeconds > 0 ? "PENDING_CREATE" : "ERROR"))
        clock.advance(Double(settleSeconds))
        #expect(try status(e, id) == "ERROR")
        e.setFaults([])
        let (healthy, _) = try create(e)
        clock.advance(Double(settleSeconds))
        #expect(try status(e, healthy) == "DOWN")
    }

    @Test("a console edit of the status wins over a pending settle; other edits keep it")
    func editWins() throws {
        let clock = ManualClock()
        let e = try Self.emulator(clock: clock, settle: .seconds(5))
        let (up, _) = try create(e)
        let (renamed, _) = try create(e)
        #expect(e.updateConnection(id: up) { $0.status = "ACTIVE" })
        #expect(e.updateConnection(id: renamed) { $0.name = "renamed" })
        #expect(try status(e, up) == "ACTIVE")
        #expect(try status(e, renamed) == "PENDING_CREATE")
        clock.advance(5)
        #expect(try status(e, up) == "ACTIVE")
        #expect(try status(e, renamed) == "DOWN")
    }

    @Test("a pending settle survives a restart through the data file")
    func persisted() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emu-settle-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let clock = ManualClock()
        let first = try Self.emulator(clock: clock, settle: .seconds(5), dataFile: file.path)
        let (id, _) = try create(first)
        let second = try Self.emulator(clock: clock, settle: .zero, dataFile: file.path)
        #expect(try status(second, id) == "PENDING_CREATE")
        clock.advance(5)
        #expect(try status(second, id) == "DOWN")
    }

    @Test("over loopback, the real client polls a new connection from PENDING_CREATE to DOWN")
    func polled() async throws {
        let f = try F { $0.settle = .milliseconds(500) }
        defer { f.stop() }
        let start = Date()
        let id = try await f.client.batchCreate(F.pair("poll", ips: [F.eips[0]])).vpnConnections[0].id
        var seen: [(status: String, after: Double)] = []
        // A generous deadline: the whole suite shares two cores, and the pool can be slow to run this task.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let s = try await f.client.showConnection(id: id).status ?? "nil"
            if seen.last?.status != s { seen.append((s, Date().timeIntervalSince(start))) }
            if !s.hasPrefix("PENDING_") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Only a first answer that came back after the settle time may already be DOWN.
        let statuses = seen.map(\.status), firstAfter = seen.first?.after ?? 0
        #expect(statuses == ["PENDING_CREATE", "DOWN"] || (statuses == ["DOWN"] && firstAfter >= 0.5), "\(seen)")
        #expect((seen.last?.after ?? 0) >= 0.5, "DOWN only once settled")
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
@testable import LoopbackHTTP

/// Requests per second, printed; off by default to keep `swift test` short.
/// Run with `LOOPBACK_BENCH=1 swift test --disable-xctest --filter Throughput`.
@Suite("Throughput", .serialized, .enabled(if: ProcessInfo.processInfo.environment["LOOPBACK_BENCH"] == "1"))
struct ThroughputTests {
    static let count = 2000
    static let body = Data(#"{"vpn_connection":{"name":"c-1","peer_subnets":["10.0.0.0/24"]}}"#.utf8)

    private func server() throws -> LoopbackServer {
        try LoopbackServer { request in .respond(.json(200, #"{"id":"x","size":\#(request.body.count)}"#)) }
    }

    @Test("URLSession, sequential small POSTs")
    func sequentialURLSession() async throws {
        let server = try server()
        defer { server.stop() }
        let elapsed = try await seconds {
            for _ in 0..<Self.count {
                let (_, response) = try await fetch(server.url("/p"), method: "POST", body: Self.body)
                #expect(response.statusCode == 200)
            }
        }
        report("URLSession sequential", elapsed)
    }

    @Test("URLSession, concurrent small POSTs", arguments: [16, 64, 2000])
    func concurrentURLSession(width: Int) async throws {
        let server = try server()
        defer { server.stop() }
        let failures = ManagedCounter()
        let elapsed = try await seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<Self.count {
                    if index >= width { try await group.next() }
                    group.addTask {
                        let (_, response) = try await fetch(server.url("/p"), method: "POST", body: Self.body)
                        if response.statusCode != 200 { failures.add() }
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(failures.value == 0)
        report("URLSession concurrent (\(width) in flight)", elapsed)
    }

    @Test("Raw sockets, sequential small POSTs (server cost without URLSession)")
    func sequentialRaw() async throws {
        let server = try server()
        defer { server.stop() }
        let port = server.port
        let request = "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: \(Self.body.count)\r\n\r\n"
            + String(decoding: Self.body, as: UTF8.self)
        let elapsed = try await seconds {
            let ok = try await offPool { () -> Int in
                var ok = 0
                for _ in 0..<Self.count where try RawClient.exchange(port: port, request).status == 200 { ok += 1 }
                return ok
            }
            #expect(ok == Self.count)
        }
        report("raw sequential", elapsed)
    }

    private func report(_ label: String, _ elapsed: Double) {
        let rate = Double(Self.count) / elapsed
        print("BENCH \(label): \(Self.count) requests in \(String(format: "%.2f", elapsed)) s = \(Int(rate)) req/s")
    }
}

/// A counter the concurrent tasks can bump.
final class ManagedCounter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

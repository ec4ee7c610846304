import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import LoopbackHTTP

/// The emulator under abuse: stalled clients, bursts of connections, more clients than slots.
@Suite("Slow clients and connection bursts")
struct AbuseTests {
    @Test("A client that sends half a request and stalls does not delay another client")
    func slowClientDoesNotBlockOthers() async throws {
        // The stalled connection would hold a serialising server for the whole idle timeout:
        // make that long, so the check below needs no tight time bound on a loaded machine.
        var limits = ServerLimits()
        limits.idleTimeout = .seconds(60)
        let server = try LoopbackServer(port: 0, maxConnections: 8, limits: limits) { _ in .respond(.text(200, "ok")) }
        defer { server.stop() }
        let port = server.port
        let stalled = try await offPool { () -> Int32 in
            let client = try RawClient(port: port)
            client.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Len")
            let fd = dup(client.fd)  // keep the connection open after `client` is destroyed
            return fd
        }
        defer { close(stalled) }

        var status = 0
        let elapsed = try await seconds {
            status = try await fetch(server.url("/fast")).1.statusCode
        }

        #expect(status == 200)
        #expect(elapsed < 30, "took \(elapsed) s; a server that waited for the stalled client would take 60 s")
    }

    @Test("A client that drips its head slower than the idle timeout gets 408, then the slot is freed")
    func idleTimeoutAnswers408() async throws {
        var limits = ServerLimits()
        limits.idleTimeout = .milliseconds(300)
        let server = try LoopbackServer(port: 0, maxConnections: 4, limits: limits) { _ in .respond(.text(200, "ok")) }
        defer { server.stop() }
        let port = server.port

        let status = try await offPool { () -> Int? in
            let client = try RawClient(port: port)
            client.send("GET / HTTP/1.1\r\n")
            return RawClient.statusCode(of: client.receiveAll().text)
        }

        #expect(status == 408)
    }

    @Test("200 connections opened at once are all answered or closed, and the server serves afterwards")
    func burstOf200() async throws {
        let server = try LoopbackServer { request in .respond(HTTPResponse(status: 200, body: request.body)) }
        defer { server.stop() }
        let port = server.port

        let outcomes = try await offPool { () -> [Int] in
            // Connect all first, so 200 connections are open together, then send, then read.
            var clients: [RawClient] = []
            for _ in 0..<200 { clients.append(try RawClient(port: port)) }
            for (index, client) in clients.enumerated() {
                client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\(String(format: "%04d", index))")
            }
            return clients.map { RawClient.statusCode(of: $0.receiveAll().text) ?? -1 }
        }

        #expect(outcomes.count == 200)
        #expect(outcomes.allSatisfy { $0 == 200 || $0 == 503 || $0 == -1 })
        print("OBSERVED 200-connection burst, maxConnections 256: " + summary(outcomes))
        let (_, after) = try await fetch(server.url("/after"))
        #expect(after.statusCode == 200)
        try await waitUntil { server.activeConnections == 0 }
    }

    @Test("Beyond maxConnections new connections get 503 at once, and the server recovers")
    func overCapacity() async throws {
        let server = try LoopbackServer(maxConnections: 3) { _ in
            .respondAfter(delay: .milliseconds(300), .text(200, "ok"))
        }
        defer { server.stop() }
        let port = server.port

        let outcomes = try await offPool { () -> [Int] in
            var clients: [RawClient] = []
            for _ in 0..<20 { clients.append(try RawClient(port: port)) }
            for client in clients { client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n") }
            return clients.map { RawClient.statusCode(of: $0.receiveAll().text) ?? -1 }
        }

        print("OBSERVED 20 connections, maxConnections 3: " + summary(outcomes))
        #expect(outcomes.allSatisfy { $0 == 200 || $0 == 503 || $0 == -1 })
        #expect(outcomes.count { $0 == 200 } >= 3)
        #expect(outcomes.count { $0 == 503 } >= 1)
        try await waitUntil { server.activeConnections == 0 }
        let (_, after) = try await fetch(server.url("/after"))
        #expect(after.statusCode == 200)
    }
}

/// "200: 197, 503: 3, closed: 0".
private func summary(_ outcomes: [Int]) -> String {
    [200, 503, -1].map { code in "\(code == -1 ? "closed" : String(code)): \(outcomes.count { $0 == code })" }
        .joined(separator: ", ")
}

/// Polls `condition` every 20 ms for up to 3 s.
private func waitUntil(_ condition: () -> Bool) async throws {
    var polls = 0
    while !condition() && polls < 150 {
        try await Task.sleep(for: .milliseconds(20))
        polls += 1
    }
    #expect(condition())
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
@testable import LoopbackHTTP

/// The failures vpnform must classify: which `URLError` each server-side drop produces in
/// FoundationNetworking, and that the server survives clients that vanish.
@Suite("Starting, stopping, dropped connections and timeouts")
struct DroppedConnectionTests {
    @Test("closeWithoutResponse: the handler saw the request, the client gets badServerResponse")
    func closeWithoutResponse() async throws {
        let calls = Mutex(0)
        let server = try LoopbackServer { _ in
            calls.withLock { $0 += 1 }
            return .closeWithoutResponse
        }
        defer { server.stop() }

        let code = await urlErrorCode(of: server.url("/v5/p1/vpn-gateways"))

        print("OBSERVED closeWithoutResponse (FIN, no bytes): \(describe(code))")
        #expect(code == .badServerResponse)
        #expect(calls.withLock { $0 } == 1, "the request must reach the handler exactly once (no client retry)")
    }

    @Test("resetConnection: the handler saw the request, the client gets networkConnectionLost")
    func resetConnection() async throws {
        let calls = Mutex(0)
        let server = try LoopbackServer { _ in
            calls.withLock { $0 += 1 }
            return .resetConnection
        }
        defer { server.stop() }

        let code = await urlErrorCode(of: server.url("/v5/p1/vpn-gateways"))

        print("OBSERVED resetConnection (SO_LINGER 0, RST): \(describe(code))")
        #expect(code == .networkConnectionLost)
        #expect(calls.withLock { $0 } == 1)
    }

    @Test("A handler slower than a 1 s request timeout gives timedOut after about 1 s")
    func slowHandlerTimesOut() async throws {
        let server = try LoopbackServer { _ in .respondAfter(delay: .seconds(3), .text(200, "late")) }
        defer { server.stop() }
        var code: URLError.Code?

        let elapsed = await seconds { code = await urlErrorCode(of: server.url("/slow"), timeout: 1) }

        print("OBSERVED accepted, handler answers after 3 s, 1 s timeout: \(describe(code)) after \(elapsed) s")
        #expect(code == .timedOut)
        // It must time out (not hang, not answer); the upper bound only rules out a hang.
        #expect(elapsed >= 0.9 && elapsed < 60)
    }

    @Test("A listener that never accepts gives timedOut after about 1 s (the kernel completed the handshake)")
    func neverAccepted() async throws {
        let listener = try ListeningSocket.open(port: 0, backlog: 16)
        defer { listener.close() }
        var code: URLError.Code?

        let url = URL(string: "http://127.0.0.1:\(listener.port)/")!
        let elapsed = await seconds { code = await urlErrorCode(of: url, timeout: 1) }

        print("OBSERVED listening, never accepting, 1 s timeout: \(describe(code)) after \(elapsed) s")
        #expect(code == .timedOut)
        // It must time out (not hang, not answer); the upper bound only rules out a hang.
        #expect(elapsed >= 0.9 && elapsed < 60)
    }

    @Test("After stop() connecting fails with cannotConnectToHost, and stop() can be called again")
    func stopRefusesConnections() async throws {
        let server = try LoopbackServer { _ in .respond(.text(200, "ok")) }
        let (_, before) = try await fetch(server.url("/"))
        #expect(before.statusCode == 200)

        server.stop()
        server.stop()

        let code = await urlErrorCode(of: server.url("/"))
        #expect(code == .cannotConnectToHost)
        let port = server.port
        let refused = try await offPool { () -> Int32? in
            do throws(RawClient.Failure) { _ = try RawClient(port: port); return nil } catch { return error.code }
        }
        #expect(refused == ECONNREFUSED)
    }

    @Test("On the wire, closeWithoutResponse is EOF with no bytes and resetConnection is ECONNRESET")
    func dropsOnTheWire() async throws {
        let server = try LoopbackServer { request in
            request.path == "/reset" ? .resetConnection : .closeWithoutResponse
        }
        defer { server.stop() }
        let port = server.port

        let (closed, reset) = try await offPool {
            let closed = try RawClient(port: port)
            closed.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
            let reset = try RawClient(port: port)
            reset.send("GET /reset HTTP/1.1\r\nHost: x\r\n\r\n")
            return (closed.receiveAll(), reset.receiveAll())
        }

        #expect(closed.text.isEmpty && closed.endedWith == nil)
        #expect(reset.text.isEmpty && reset.endedWith == ECONNRESET)
    }

    @Test("Binding a port that is already listening fails with EADDRINUSE; maxConnections 0 is refused")
    func startFailures() throws {
        let first = try LoopbackServer { _ in .closeWithoutResponse }
        defer { first.stop() }

        #expect(throws: LoopbackServerError.bind(port: first.port, errno: EADDRINUSE)) {
            try LoopbackServer(port: first.port) { _ in .closeWithoutResponse }
        }
        #expect(throws: LoopbackServerError.invalidMaxConnections(0)) {
            try LoopbackServer(maxConnections: 0) { _ in .closeWithoutResponse }
        }
    }

    @Test("stop() from inside a handler still answers that request, then refuses connections")
    func stopFromHandler() async throws {
        let box = Mutex<LoopbackServer?>(nil)
        let server = try LoopbackServer { _ in
            box.withLock { $0?.stop() }
            return .respond(.text(200, "last"))
        }
        box.withLock { $0 = server }
        defer { box.withLock { $0 = nil } }  // break the server → handler → box → server cycle

        let (data, response) = try await fetch(server.url("/"))

        #expect(response.statusCode == 200)
        #expect(data == Data("last\n".utf8))
        #expect(await urlErrorCode(of: server.url("/")) == .cannotConnectToHost)
    }

    @Test("stop() called from eight threads at once: every caller returns with the port closed")
    func concurrentStops() async throws {
        let server = try LoopbackServer { _ in .respond(.text(200, "ok")) }
        let port = server.port

        let refusals = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await offPool {
                        server.stop()
                        do throws(RawClient.Failure) { _ = try RawClient(port: port); return false } catch {
                            return error.code == ECONNREFUSED
                        }
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }

        #expect(refusals == Array(repeating: true, count: 8))
    }

    @Test("Dropping the last reference stops the server")
    func deinitStops() async throws {
        var server: LoopbackServer? = try LoopbackServer { _ in .respond(.text(200, "ok")) }
        let url = server!.url("/")
        server = nil
        #expect(server == nil)

        let code = await urlErrorCode(of: url)

        #expect(code == .cannotConnectToHost)
    }

    @Test("A client that vanishes before a large response is written does not hurt the server")
    func vanishedPeer() async throws {
        let server = try LoopbackServer { request in
            let body = [UInt8](repeating: 0x61, count: request.path == "/big" ? 8 << 20 : 2)
            return .respondAfter(delay: .milliseconds(100), HTTPResponse(status: 200, body: body))
        }
        defer { server.stop() }
        let port = server.port

        try await offPool {
            for _ in 0..<5 {
                let client = try RawClient(port: port)
                client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
                var reset = linger(l_onoff: 1, l_linger: 0)
                _ = setsockopt(client.fd, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
            }
        }
        try await Task.sleep(for: .milliseconds(300))

        let (data, response) = try await fetch(server.url("/small"))
        #expect(response.statusCode == 200)
        #expect(data == Data("aa".utf8))
    }
}

/// `-1011 badServerResponse`, or `no error`.
private func describe(_ code: URLError.Code?) -> String {
    guard let code else { return "no error" }
    return "URLError \(code.rawValue) \(code)"
}

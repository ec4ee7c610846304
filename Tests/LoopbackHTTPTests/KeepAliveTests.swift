import Glibc
import Synchronization
import Testing
@testable import LoopbackHTTP

/// Keep-alive: one connection carries request after request, each knowing its place on it, and a
/// handler can still reset a reused connection.
@Suite("Keep-alive")
struct KeepAliveTests {
    struct Seen: Sendable, Equatable {
        let connection: Int
        let earlier: Int
    }

    static func request(_ path: String, close: Bool = false) -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(close ? "Connection: close\r\n" : "")\r\n"
    }

    @Test("two requests on one connection: both answered keep-alive, the second knows it is the connection's second")
    func twoRequests() async throws {
        let seen = Mutex<[Seen]>([])
        let server = try LoopbackServer(keepAlive: true) { request in
            seen.withLock { $0.append(Seen(connection: request.connectionNumber, earlier: request.earlierRequestsOnConnection)) }
            return .respond(HTTPResponse(status: 200, body: Array("ok".utf8)))
        }
        defer { server.stop() }
        let (first, second, end) = try await offPool {
            let client = try RawClient(port: server.port)
            client.send(Self.request("/a"))
            let first = client.receive(until: "\r\n\r\nok")
            client.send(Self.request("/b", close: true))
            let (second, end) = client.receiveAll()
            return (first, second, end)
        }
        #expect(first.contains("Connection: keep-alive\r\n"))
        #expect(second.hasPrefix("HTTP/1.1 200 OK") && second.contains("Connection: close\r\n"))
        #expect(end == nil, "closed with FIN after the client asked to close")
        #expect(seen.withLock { $0 } == [Seen(connection: 1, earlier: 0), Seen(connection: 1, earlier: 1)])
    }

    @Test("pipelined requests in one write are each answered in order")
    func pipelined() async throws {
        let server = try LoopbackServer(keepAlive: true) { request in
            .respond(HTTPResponse(status: 200, body: Array(request.path.utf8)))
        }
        defer { server.stop() }
        let text = try await offPool {
            let client = try RawClient(port: server.port)
            client.send(Self.request("/one") + Self.request("/two") + Self.request("/three", close: true))
            return client.receiveAll().text
        }
        let bodies = text.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix(while: { $0 != "H" }) }
        #expect(bodies == ["/one", "/two", "/three"])
    }

    @Test("a handler resets a reused connection: the client gets ECONNRESET after the first answer")
    func resetReused() async throws {
        let calls = Mutex(0)
        let server = try LoopbackServer(keepAlive: true) { request in
            let n = calls.withLock { $0 += 1; return $0 }
            return n == 1 ? .respond(HTTPResponse(status: 200, body: Array("ok".utf8))) : .resetConnection
        }
        defer { server.stop() }
        let (first, end) = try await offPool {
            let client = try RawClient(port: server.port)
            client.send(Self.request("/a"))
            let first = client.receive(until: "\r\n\r\nok")
            client.send(Self.request("/b"))
            return (first, client.receiveAll().endedWith)
        }
        #expect(first.hasPrefix("HTTP/1.1 200 OK"))
        #expect(end == ECONNRESET)
        #expect(calls.withLock { $0 } == 2)
    }

    @Test("without keep-alive every answer closes the connection")
    func off() async throws {
        let server = try LoopbackServer { _ in .respond(HTTPResponse(status: 200, body: [])) }
        defer { server.stop() }
        let text = try await offPool { try RawClient.exchange(port: server.port, Self.request("/a")).text }
        #expect(text.contains("Connection: close\r\n"))
    }
}

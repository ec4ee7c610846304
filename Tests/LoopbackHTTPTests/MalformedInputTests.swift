import Glibc
import Synchronization
import Testing
@testable import LoopbackHTTP

/// Inputs URLSession never produces, sent with a raw socket; the server must answer and close.
@Suite("Malformed and unsupported requests over a raw socket")
struct MalformedInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let request: String
        let status: Int
        var testDescription: String { "\(label) → \(status)" }
    }

    static let cases: [Case] = [
        Case(label: "garbage request line", request: "HELLO\r\nHost: x\r\n\r\n", status: 400),
        Case(label: "two spaces in request line", request: "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
        Case(label: "bad version", request: "GET / HTTX/1.1\r\nHost: x\r\n\r\n", status: 400),
        Case(label: "HTTP/2.0", request: "GET / HTTP/2.0\r\nHost: x\r\n\r\n", status: 505),
        Case(label: "missing Host", request: "GET / HTTP/1.1\r\n\r\n", status: 400),
        Case(label: "space before colon", request: "GET / HTTP/1.1\r\nHost : x\r\n\r\n", status: 400),
        Case(label: "negative Content-Length",
             request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", status: 400),
        Case(label: "conflicting Content-Length",
             request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", status: 400),
        Case(label: "Content-Length above 16 MiB",
             request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 16777217\r\n\r\n", status: 413),
        Case(label: "Content-Length overflowing Int",
             request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 413),
        Case(label: "chunked",
             request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
             status: 501),
        Case(label: "unknown expectation", request: "POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", status: 417),
        Case(label: "body shorter than Content-Length, then FIN",
             request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", status: 400),
        Case(label: "valid HTTP/1.0 without Host", request: "GET /ok HTTP/1.0\r\n\r\n", status: 200),
        Case(label: "blank lines before the request line", request: "\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n",
             status: 200),
    ]

    @Test("The server answers with the right status and never calls the handler for a bad request",
          arguments: cases)
    func rejects(_ input: Case) async throws {
        let calls = Mutex(0)
        let server = try LoopbackServer { _ in
            calls.withLock { $0 += 1 }
            return .respond(.text(200, "ok"))
        }
        defer { server.stop() }
        let port = server.port

        let (status, text) = try await offPool {
            let client = try RawClient(port: port)
            client.send(input.request)
            // Half-close so "body shorter than Content-Length" ends instead of waiting for the idle timeout.
            _ = shutdown(client.fd, Int32(SHUT_WR))
            let (text, _) = client.receiveAll()
            return (RawClient.statusCode(of: text), text)
        }

        #expect(status == input.status, "\(text)")
        #expect(text.contains("Connection: close\r\n"))
        #expect(calls.withLock { $0 } == (input.status == 200 ? 1 : 0))
    }

    @Test("A header section over 32 KiB gets 431")
    func oversizedHeaders() async throws {
        let server = try LoopbackServer { _ in .respond(.text(200, "ok")) }
        defer { server.stop() }
        let port = server.port
        let filler = String(repeating: "a", count: 1000)
        let request = "GET / HTTP/1.1\r\nHost: x\r\n"
            + (0..<40).map { "X-Filler-\($0): \(filler)\r\n" }.joined() + "\r\n"

        let (status, _) = try await offPool { try RawClient.exchange(port: port, request) }

        #expect(status == 431)
    }

    @Test("Expect: 100-continue gets the interim 100 before the body is sent, then the answer")
    func expectContinue() async throws {
        let server = try LoopbackServer { request in .respond(HTTPResponse(status: 200, body: request.body)) }
        defer { server.stop() }
        let port = server.port

        let (interim, final) = try await offPool {
            let client = try RawClient(port: port)
            client.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = client.receive(until: "\r\n\r\n")
            client.send("hello")
            let (final, _) = client.receiveAll()
            return (interim, final)
        }

        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(RawClient.statusCode(of: final) == 200)
        #expect(final.hasSuffix("\r\n\r\nhello"))
    }

    @Test("A request whose body arrives with the head gets no 100 Continue")
    func expectContinueWithBodyAlreadySent() async throws {
        let server = try LoopbackServer { request in .respond(HTTPResponse(status: 200, body: request.body)) }
        defer { server.stop() }
        let port = server.port

        let (status, text) = try await offPool {
            try RawClient.exchange(
                port: port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\nhi"
            )
        }

        #expect(status == 200)
        #expect(!text.contains("100 Continue"))
    }
}

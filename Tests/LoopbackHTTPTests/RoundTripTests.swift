import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import Testing
@testable import LoopbackHTTP

@Suite("Round trips with URLSession over loopback")
struct RoundTripTests {
    @Test("GET carries the raw target, query and headers to the handler and the response back")
    func getRoundTrip() async throws {
        let seen = Mutex<HTTPRequest?>(nil)
        let server = try LoopbackServer { request in
            seen.withLock { $0 = request }
            return .respond(.json(200, #"{"path":"\#(request.path)"}"#, headers: [("X-Request-Id", "r-1")]))
        }
        defer { server.stop() }

        let (data, response) = try await fetch(
            server.url("/v1/vpn%20gateways?limit=10&name=a%2Fb"), headers: ["X-Auth-Token": "t0k"]
        )

        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "X-Request-Id") == "r-1")
        #expect(response.value(forHTTPHeaderField: "Content-Type") == "application/json; charset=utf-8")
        #expect(String(decoding: data, as: UTF8.self) == #"{"path":"/v1/vpn%20gateways"}"#)
        let request = try #require(seen.withLock { $0 })
        #expect(request.method == "GET")
        #expect(request.target == "/v1/vpn%20gateways?limit=10&name=a%2Fb")
        #expect(request.path == "/v1/vpn%20gateways")
        #expect(request.query == "limit=10&name=a%2Fb")
        #expect(request.header("x-auth-token") == "t0k")
        #expect(request.header("HOST") == "127.0.0.1:\(server.port)")
        #expect(request.body.isEmpty)
        #expect(request.remoteDescription.hasPrefix("127.0.0.1:"))
    }

    @Test("POST with a JSON body reaches the handler intact and gets 201")
    func postRoundTrip() async throws {
        let server = try LoopbackServer { request in
            guard request.method == "POST", request.header("Content-Type") == "application/json" else {
                return .respond(.json(400, #"{"error":"wrong request"}"#))
            }
            return .respond(HTTPResponse(status: 201, headers: [("Content-Type", "application/json")], body: request.body))
        }
        defer { server.stop() }
        let json = #"{"vpn_gateway":{"name":"gw-1","flavor":"Professional1"}}"#

        let (data, response) = try await fetch(
            server.url("/v5/p1/vpn-gateways"), method: "POST",
            headers: ["Content-Type": "application/json"], body: Data(json.utf8)
        )

        #expect(response.statusCode == 201)
        #expect(String(decoding: data, as: UTF8.self) == json)
    }

    @Test("A 404 from the handler reaches the client as a response, not an error")
    func notFound() async throws {
        let server = try LoopbackServer { _ in .respond(.json(404, #"{"error_code":"VPN.0002"}"#)) }
        defer { server.stop() }

        let (data, response) = try await fetch(server.url("/v5/p1/vpn-gateways/missing"))

        #expect(response.statusCode == 404)
        #expect(String(decoding: data, as: UTF8.self) == #"{"error_code":"VPN.0002"}"#)
    }

    @Test("A 3 MB body travels both ways unchanged")
    func largeBody() async throws {
        let server = try LoopbackServer { request in
            .respond(HTTPResponse(status: 200, body: request.body))
        }
        defer { server.stop() }
        let payload = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })

        let (data, response) = try await fetch(server.url("/echo"), method: "POST", body: payload)

        #expect(response.statusCode == 200)
        #expect(data == payload)
    }

    @Test("50 concurrent POSTs are all answered, each with its own body")
    func concurrentPosts() async throws {
        let server = try LoopbackServer { request in
            .respond(HTTPResponse(status: 200, body: request.body))
        }
        defer { server.stop() }

        let answers = try await withThrowingTaskGroup(of: (Int, Int, String).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let (data, response) = try await fetch(
                        server.url("/n"), method: "POST", body: Data("request \(index)".utf8)
                    )
                    return (index, response.statusCode, String(decoding: data, as: UTF8.self))
                }
            }
            return try await group.reduce(into: [(Int, Int, String)]()) { $0.append($1) }
        }

        #expect(answers.count == 50)
        for (index, status, body) in answers {
            #expect(status == 200)
            #expect(body == "request \(index)")
        }
    }

    @Test("HEAD gets the headers of a GET, with Content-Length but no content")
    func head() async throws {
        let server = try LoopbackServer { _ in .respond(.json(200, #"{"a":1}"#)) }
        defer { server.stop() }

        let (data, response) = try await fetch(server.url("/x"), method: "HEAD")

        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "Content-Length") == "7")
        #expect(data.isEmpty)
    }

    @Test("204 is sent without content or Content-Length, and the client does not wait for one")
    func noContent() async throws {
        let server = try LoopbackServer { _ in .respond(HTTPResponse(status: 204, body: Array("ignored".utf8))) }
        defer { server.stop() }

        let (data, response) = try await fetch(server.url("/x"), method: "DELETE")

        #expect(response.statusCode == 204)
        #expect(data.isEmpty)
    }
}

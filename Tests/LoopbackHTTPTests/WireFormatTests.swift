import Testing
@testable import LoopbackHTTP

/// The pure parts, without sockets: head parsing, framing rules, target splitting, response bytes.
@Suite("Request parsing and response framing")
struct WireFormatTests {
    private func head(_ text: String) throws(RequestRejection) -> RequestHead {
        try RequestHead.parse(ArraySlice(Array(text.utf8)))
    }

    @Test("A valid head keeps header order, original name case, and trims optional whitespace")
    func parsesHead() throws {
        let parsed = try head("POST /v1/x?a=1 HTTP/1.1\r\nHost: h\r\nX-One:  1 \r\nx-two:\t2\r\nX-Empty:")

        #expect(parsed.method == "POST")
        #expect(parsed.target == "/v1/x?a=1")
        #expect(parsed.minorVersion == 1)
        #expect(parsed.headers.map(\.name) == ["Host", "X-One", "x-two", "X-Empty"])
        #expect(parsed.headers.map(\.value) == ["h", "1", "2", ""])
    }

    @Test("Header values that are not UTF-8 decode as ISO 8859-1 instead of being replaced")
    func latin1Value() throws {
        var bytes = Array("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf".utf8)
        bytes.append(0xE9)
        let parsed = try RequestHead.parse(ArraySlice(bytes))
        #expect(parsed.headers.last?.value == "café")
    }

    static let badHeads: [(String, RequestRejection)] = [
        ("", .badRequest("request line is not 'METHOD target HTTP/1.1'")),
        ("GET /\tx HTTP/1.1\r\nHost: h", .badRequest("invalid request target")),
        ("G(T / HTTP/1.1\r\nHost: h", .badRequest("invalid method")),
        ("GET host:443 HTTP/1.1\r\nHost: h", .badRequest("request target must be a path, an absolute URL or '*'")),
        ("GET / HTTP/1.1\nHost: h", .badRequest("bare LF in request head")),
        ("GET / HTTP/1.1\r\nHost: h\rX: y", .badRequest("bare CR in request head")),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded", .badRequest("obsolete line folding in header section")),
        ("GET / HTTP/1.1\r\nHost: h\r\nNoColon", .badRequest("header line without ':'")),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{0}b", .badRequest("control character in value of header 'X'")),
        ("GET / HTTP/1.1\r\nHost: h\r\nHost: i", .badRequest("more than one Host header")),
        ("GET / HTTP/3.0\r\nHost: h", .versionNotSupported("HTTP/3.0")),
        ("GET / HTTP/1.10\r\nHost: h", .badRequest("invalid HTTP version")),
    ]

    @Test("Malformed heads are rejected with the reason", arguments: badHeads)
    func rejectsHead(_ text: String, _ expected: RequestRejection) {
        #expect(throws: expected) { try head(text) }
    }

    static let framings: [(headers: String, expected: Result<BodyFraming, RequestRejection>)] = [
        ("", .success(BodyFraming(contentLength: 0, expectsContinue: false))),
        ("Content-Length: 12", .success(BodyFraming(contentLength: 12, expectsContinue: false))),
        ("Content-Length: 5, 5", .success(BodyFraming(contentLength: 5, expectsContinue: false))),
        ("Content-Length: 7\r\nExpect: 100-CONTINUE", .success(BodyFraming(contentLength: 7, expectsContinue: true))),
        ("Content-Length: 5, 6", .failure(.badRequest("conflicting Content-Length values"))),
        ("Content-Length: +5", .failure(.badRequest("invalid Content-Length '+5'"))),
        ("Content-Length:", .failure(.badRequest("invalid Content-Length ''"))),
        ("Content-Length: 16777216", .success(BodyFraming(contentLength: 16 << 20, expectsContinue: false))),
        ("Content-Length: 16777217", .failure(.contentTooLarge(limit: 16 << 20))),
        ("Transfer-Encoding: gzip, chunked", .failure(.notImplemented("Transfer-Encoding; send Content-Length"))),
        ("Expect: 200-ok", .failure(.expectationFailed("200-ok"))),
    ]

    @Test("Content-Length, Transfer-Encoding and Expect decide the framing", arguments: framings)
    func framing(_ headers: String, _ expected: Result<BodyFraming, RequestRejection>) throws {
        let parsed = try head("POST / HTTP/1.1\r\nHost: h" + (headers.isEmpty ? "" : "\r\n" + headers))
        let actual = Result { () throws(RequestRejection) in
            try BodyFraming(of: parsed, maxContentLength: 16 << 20)
        }
        #expect(actual == expected)
    }

    @Test("HTTP/1.0 ignores Expect: 100-continue")
    func http10Continue() throws {
        let parsed = try head("POST / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue")
        #expect(try BodyFraming(of: parsed, maxContentLength: 10).expectsContinue == false)
    }

    @Test("Targets split into raw path and query", arguments: [
        ("/a/b?x=1&y=%2F", "/a/b", "x=1&y=%2F"),
        ("/a?", "/a", ""),
        ("/a?b?c", "/a", "b?c"),
        ("/", "/", nil),
        ("http://h:1/p?q", "/p", "q"),
        ("http://h:1", "/", nil),
        ("*", "*", nil),
    ] as [(String, String, String?)])
    func splitsTarget(_ target: String, _ path: String, _ query: String?) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    @Test("header(_:) is case-insensitive and returns the first match")
    func headerLookup() {
        let request = HTTPRequest(method: "GET", target: "/", headers: [("X-A", "1"), ("x-a", "2")])
        #expect(request.header("x-A") == "1")
        #expect(request.header("X-B") == nil)
    }

    @Test("The server owns framing headers and neutralises CR/LF in handler headers")
    func responseBytes() {
        let response = HTTPResponse(
            status: 200,
            headers: [("Content-Length", "999"), ("connection", "keep-alive"), ("X-Evil", "a\r\nSet-Cookie: b")],
            body: Array("hi".utf8)
        )
        let text = String(decoding: response.wireBytes(), as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nX-Evil: a Set-Cookie: b\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
    }

    @Test("Status rules: 204 has neither content nor Content-Length, a non-final status becomes 500")
    func statusRules() {
        let noContent = String(decoding: HTTPResponse(status: 204, body: [1]).wireBytes(), as: UTF8.self)
        #expect(noContent == "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        let interim = String(decoding: HTTPResponse(status: 101).wireBytes(), as: UTF8.self)
        #expect(interim.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(HTTPResponse(status: 299).reason == "Success")
        #expect(HTTPResponse(status: 418, reason: "I'm a teapot").reason == "I'm a teapot")
    }

    @Test("A HEAD reply states the length but carries no content")
    func headBytes() {
        let text = String(decoding: HTTPResponse.json(200, "{}").wireBytes(omitBody: true), as: UTF8.self)
        #expect(text.hasSuffix("Content-Length: 2\r\nConnection: close\r\n\r\n"))
    }

    @Test("Errors describe the failing call and errno")
    func errorDescriptions() {
        #expect(LoopbackServerError.bind(port: 80, errno: 13).description
            == "bind(127.0.0.1:80) failed: Permission denied (errno 13)")
        #expect(LoopbackServerError.invalidMaxConnections(0).description == "maxConnections must be at least 1, got 0")
    }
}

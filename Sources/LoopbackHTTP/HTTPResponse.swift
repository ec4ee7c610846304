/// A final HTTP response to send back for one request.
///
/// The server frames every response itself: it adds `Content-Length` (except for 204 and 304, where
/// RFC 9110 forbids content) and `Connection: close`, and drops any `Content-Length`, `Connection` or
/// `Transfer-Encoding` given in `headers`, so a handler cannot produce a mis-framed message.
public struct HTTPResponse: Sendable {
    /// The status code. Codes outside 200...999 are sent as 500, because a handler's answer must be final.
    public var status: Int
    /// The reason phrase; informational only, clients ignore it.
    public var reason: String
    /// Header fields to send, in order. CR, LF and NUL inside a name or value are replaced by spaces so a
    /// value cannot inject a header line.
    public var headers: [(name: String, value: String)]
    /// The content.
    public var body: [UInt8]

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status code, for example 200.
    ///   - reason: The reason phrase; derived from `status` when `nil`.
    ///   - headers: Header fields in order.
    ///   - body: The content.
    public init(
        status: Int,
        reason: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.status = status
        self.reason = reason ?? HTTPResponse.reasonPhrase(for: status)
        self.headers = headers
        self.body = body
    }

    /// A response whose content is JSON text, with `Content-Type: application/json; charset=utf-8`
    /// unless `headers` names another `Content-Type`.
    /// - Parameters:
    ///   - status: The status code.
    ///   - body: The JSON text; sent as UTF-8 without checking that it parses.
    ///   - headers: Extra header fields, sent after `Content-Type`.
    /// - Returns: The response.
    public static func json(
        _ status: Int,
        _ body: String,
        headers: [(name: String, value: String)] = []
    ) -> HTTPResponse {
        let namesType = headers.contains { $0.name.asciiCaseInsensitiveEquals("content-type") }
        return HTTPResponse(
            status: status,
            headers: (namesType ? [] : [("Content-Type", "application/json; charset=utf-8")]) + headers,
            body: Array(body.utf8)
        )
    }

    /// A plain-text response, used for the server's own error answers (400, 413, 431, 501 …).
    /// - Parameters:
    ///   - status: The status code.
    ///   - text: The text; a newline is appended.
    /// - Returns: The response.
    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [("Content-Type", "text/plain; charset=utf-8")],
            body: Array((text + "\n").utf8)
        )
    }

    /// The usual reason phrase for a status code, or a generic one for its class.
    /// - Parameter status: The status code.
    /// - Returns: For example `"Not Found"` for 404.
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        case 200..<300: "Success"
        case 300..<400: "Redirection"
        case 400..<500: "Client Error"
        case 500..<600: "Server Error"
        default: "Unknown"
        }
    }
}

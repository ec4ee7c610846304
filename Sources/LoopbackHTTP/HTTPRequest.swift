/// One HTTP/1.1 request as the server received it.
///
/// The target, path and query are kept exactly as they arrived on the wire (still percent-encoded), so a
/// handler that checks a request signature sees the same bytes the client signed.
public struct HTTPRequest: Sendable {
    /// The request method, case-sensitive as sent (`GET`, `POST`, …).
    public var method: String
    /// The request target as received: `path` plus `"?" + query` when a query is present.
    public var target: String
    /// The part of the target before the first `?`. For an absolute-form target
    /// (`http://host/p?q`) this is the path component (`/p`), or `/` when the URL has none.
    public var path: String
    /// The raw query after the first `?`, or `nil` when the target has no `?`.
    public var query: String?
    /// Header fields in the order they arrived; names keep their original case.
    public var headers: [(name: String, value: String)]
    /// The content, exactly `Content-Length` bytes (empty when there is none).
    public var body: [UInt8]
    /// The peer as `address:port`, for logs; empty for requests built in tests.
    public var remoteDescription: String
    /// The server's number for the connection the request came on (1 for the first accepted); 0 for
    /// requests built in tests.
    public var connectionNumber = 0
    /// How many requests the same connection carried before this one: above 0, the client reused a
    /// kept-alive connection.
    public var earlierRequestsOnConnection = 0
    /// Whether the request allows the connection to stay open after its answer (HTTP/1.1 without
    /// `Connection: close`, or HTTP/1.0 with `Connection: keep-alive`).
    public var allowsKeepAlive = false

    /// Creates a request, deriving `path` and `query` from `target`.
    ///
    /// Lets handler logic be unit-tested without sockets.
    /// - Parameters:
    ///   - method: The request method.
    ///   - target: The raw request target, for example `/v1/vpn-gateways?limit=10`.
    ///   - headers: Header fields in order.
    ///   - body: The request content.
    ///   - remoteDescription: The peer address, for logs.
    public init(
        method: String,
        target: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        remoteDescription: String = ""
    ) {
        self.method = method
        self.target = target
        (self.path, self.query) = Self.split(target: target)
        self.headers = headers
        self.body = body
        self.remoteDescription = remoteDescription
    }

    /// The value of the first header field called `name`, compared case-insensitively (ASCII).
    /// - Parameter name: The field name, for example `"content-type"`.
    /// - Returns: The field value with surrounding whitespace removed, or `nil` when absent.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.asciiCaseInsensitiveEquals(name) }?.value
    }

    /// Splits a request target into path and query, handling origin-form and absolute-form.
    static func split(target: String) -> (path: String, query: String?) {
        if target == "*" { return ("*", nil) }
        var pathAndQuery = Substring(target)
        if let schemeEnd = target.firstRange(of: "://"), !target.hasPrefix("/") {
            let afterScheme = target[schemeEnd.upperBound...]
            let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
            pathAndQuery = afterScheme[authorityEnd...]
        }
        let path: Substring
        let query: String?
        if let mark = pathAndQuery.firstIndex(of: "?") {
            path = pathAndQuery[..<mark]
            query = String(pathAndQuery[pathAndQuery.index(after: mark)...])
        } else {
            path = pathAndQuery
            query = nil
        }
        return (path.isEmpty ? "/" : String(path), query)
    }
}

extension String {
    /// ASCII case-insensitive comparison, as HTTP field names and tokens need (no locale rules).
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { lowercasedASCII($0) == lowercasedASCII($1) }
    }
}

/// Lower-cases one ASCII letter byte and leaves every other byte alone.
@inline(__always)
func lowercasedASCII(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

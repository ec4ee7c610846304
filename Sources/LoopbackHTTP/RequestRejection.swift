/// Why the server answers a request itself, without calling the handler.
enum RequestRejection: Error, Equatable {
    /// 400: the request line, a header line, or `Content-Length` is malformed, or the message ended early.
    case badRequest(String)
    /// 408: the request did not arrive in time.
    case timedOut
    /// 413: `Content-Length` exceeds the body limit.
    case contentTooLarge(limit: Int)
    /// 417: an `Expect` other than `100-continue`.
    case expectationFailed(String)
    /// 431: the header section exceeds its limit.
    case headersTooLarge(limit: Int)
    /// 501: a framing the server does not implement (`Transfer-Encoding`).
    case notImplemented(String)
    /// 505: an HTTP major version other than 1.
    case versionNotSupported(String)

    /// The plain-text answer sent before closing.
    var response: HTTPResponse {
        switch self {
        case .badRequest(let why): .text(400, "bad request: \(why)")
        case .timedOut: .text(408, "request not received in time")
        case .contentTooLarge(let limit): .text(413, "content larger than \(limit) bytes")
        case .expectationFailed(let value): .text(417, "unsupported expectation: \(value)")
        case .headersTooLarge(let limit): .text(431, "header section larger than \(limit) bytes")
        case .notImplemented(let what): .text(501, "not implemented: \(what)")
        case .versionNotSupported(let version): .text(505, "HTTP version not supported: \(version)")
        }
    }
}

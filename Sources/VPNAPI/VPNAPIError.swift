/// What can go wrong talking to the VPN API. Descriptions never contain a secret.
public enum VPNAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The API answered with an error status.
    case api(APIErrorBody)
    /// The request could not be sent (connection refused, name not found): nothing reached the API.
    case notSent(NetworkProblem)
    /// A POST was sent but its answer was lost (timeout, reset, garbled reply): the connections may
    /// or may not exist. The client never re-sends such a request; the caller must look.
    case outcomeUnknown(NetworkProblem)
    /// A read-only request failed in transport after its retries.
    case transport(NetworkProblem)
    /// The API answered 401 or 403: the credentials (or their permissions) are refused. The client
    /// sends nothing more, for any caller, once one call got this answer.
    case credentialsRejected(APIErrorBody)
    /// The API answered 2xx with a body that does not parse.
    case invalidResponse(status: Int, detail: String, requestID: String?)
    /// Signed requests go only over https, except to a loopback address.
    case insecureEndpoint(String)

    public var description: String {
        switch self {
        case .api(let body): return body.description
        case .notSent(let detail): return "the request was not sent: \(detail)"
        case .outcomeUnknown(let detail): return "the outcome is unknown: the request was sent but its answer was lost (\(detail))"
        case .transport(let detail): return "transport error: \(detail)"
        case .credentialsRejected(let body):
            return "the API refused the credentials: \(body); no further calls are made"
        case let .invalidResponse(status, detail, requestID):
            return "HTTP \(status): unreadable response (\(detail))\(requestID.map { ", request id \($0)" } ?? "")"
        case .insecureEndpoint(let url):
            return "refusing to send signed requests to \(url): use https (plain http is allowed only to a loopback address)"
        }
    }

    /// The API's error code, if the API answered.
    public var code: String? {
        switch self {
        case .api(let b), .credentialsRejected(let b): return b.code
        default: return nil
        }
    }

    /// Whether the API refused the request, so that nothing was created and sending it again is
    /// safe: 429, 409, 425, and the "busy" codes VPN.0030 and VPN.0014 (the reference's list).
    public var isRetryableRefusal: Bool {
        guard case .api(let b) = self else { return false }
        if [429, 409, 425].contains(b.status) { return true }
        return ["VPN.0030", "VPN.0014", "VPN.0429", "VPN.0016", "VPN.0017"].contains(b.code)
    }
}

/// An error answer of the API, from either body format (`error_code`/`error_msg` or `code`/`message`).
public struct APIErrorBody: Equatable, Sendable, CustomStringConvertible {
    /// HTTP status.
    public var status: Int
    /// `VPN.0001`, `APIGW.0301` …; the HTTP status as text when the body has none.
    public var code: String
    /// The API's message (or the raw body when it has no message).
    public var message: String
    /// From `X-Request-Id`, else from the body's `request_id`.
    public var requestID: String?
    /// Seconds from `Retry-After`, when the API sent one.
    public var retryAfter: Double?

    public init(status: Int, code: String, message: String, requestID: String?, retryAfter: Double? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.retryAfter = retryAfter
    }

    public var description: String {
        "HTTP \(status) \(code): \(message)\(requestID.map { " (request id \($0))" } ?? "")"
    }
}

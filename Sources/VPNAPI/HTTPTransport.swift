import Foundation

/// An HTTP request as the client sends it.
public struct HTTPRequestMessage: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The whole attempt's deadline, connecting included; `nil` for none.
    public var timeout: Duration?

    public init(method: String, url: URL, headers: [(name: String, value: String)], body: [UInt8],
                timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// An HTTP response; header names lower-cased.
public struct HTTPResponseMessage: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why a request did not produce a response.
public enum TransportFailure: Error, Equatable, Sendable {
    /// Nothing was sent (connection refused, unknown host, TLS failure …): safe to send again.
    case notSent(NetworkProblem)
    /// The request may have been sent: timeout, reset, unreadable reply.
    case lost(NetworkProblem)
}

/// The HTTP seam: the live adapter is ``CurlTransport``; unit tests pass closures.
///
/// A transport answers within the request's ``HTTPRequestMessage/timeout`` (with a failure when it
/// passes), and never sends a request that is not idempotent more than once.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns its response, whatever its status.
    func send(_ request: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage
}

/// What went wrong on the network, as data; ``description`` says it in words for a person.
public enum NetworkProblem: Equatable, Sendable, CustomStringConvertible {
    /// Nothing listens there: the endpoint (host or port) is probably wrong.
    case connectionRefused(host: String, port: Int)
    /// The host name does not resolve.
    case hostNotFound(String)
    /// No TCP connection within the connect timeout.
    case connectTimedOut(host: String, port: Int, milliseconds: Int)
    /// Connecting failed for another reason (`errno`, e.g. `ENETUNREACH`).
    case connectFailed(host: String, port: Int, errno: Int32)
    /// The TLS handshake failed or the server's certificate is not trusted; `detail` is the TLS
    /// library's own words.
    case tls(host: String, port: Int, detail: String)
    /// The proxy could not be reached or refused the tunnel.
    case proxy(detail: String)
    /// The peer reset the connection.
    case connectionReset(host: String, port: Int)
    /// The connection closed before any answer arrived.
    case emptyReply(host: String, port: Int)
    /// An answer arrived that is not valid HTTP, or was cut short.
    case malformedReply(detail: String)
    /// No complete answer within the attempt deadline.
    case timedOut(milliseconds: Int)
    /// The waiting task was cancelled.
    case cancelled
    /// Anything else the transport reports: its code and its words.
    case other(code: Int, detail: String)

    public var description: String {
        switch self {
        case let .connectionRefused(host, port):
            return "connection refused by \(Self.address(host, port)) (is the endpoint right?)"
        case .hostNotFound(let host):
            return "host \(host) not found (is the endpoint right?)"
        case let .connectTimedOut(host, port, ms):
            return "no connection to \(Self.address(host, port)) within \(Self.seconds(ms))"
        case let .connectFailed(host, port, code):
            return "could not connect to \(Self.address(host, port)) (errno \(code))"
        case let .tls(host, port, detail):
            return "TLS with \(Self.address(host, port)) failed: \(detail) "
                + "(set --ca-bundle FILE or SSL_CERT_FILE to trust a private CA)"
        case .proxy(let detail):
            return "the proxy failed: \(detail) (check HTTPS_PROXY and NO_PROXY)"
        case let .connectionReset(host, port):
            return "connection reset by \(Self.address(host, port))"
        case let .emptyReply(host, port):
            return "\(Self.address(host, port)) closed the connection without answering"
        case .malformedReply(let detail):
            return "unreadable answer: \(detail)"
        case .timedOut(let ms):
            return "no answer within \(Self.seconds(ms))"
        case .cancelled:
            return "cancelled"
        case let .other(code, detail):
            return "\(detail) (libcurl error \(code))"
        }
    }

    /// Whether sending again may help. A refused connection, an unknown host, a TLS or proxy failure
    /// say the endpoint or the settings are wrong: retrying only hides that for longer.
    public var isWorthRetrying: Bool {
        switch self {
        case .connectionRefused, .hostNotFound, .tls, .proxy, .cancelled: return false
        default: return true
        }
    }

    static func address(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func seconds(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }
}

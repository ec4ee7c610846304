import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP request as the client sends it.
public struct HTTPRequestMessage: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public init(method: String, url: URL, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
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
    /// Nothing was sent (connection refused, unknown host …).
    case notSent(String)
    /// The request may have been sent: timeout, reset, unreadable reply.
    case lost(String)
}

/// The HTTP seam: the live adapter uses URLSession; unit tests pass closures.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns its response, whatever its status.
    func send(_ request: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage
}

/// URLSession (FoundationNetworking on Linux), one long-lived session.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let requestTimeout: Int

    /// Creates a transport.
    /// - Parameter requestTimeout: Idle timeout per request in whole seconds (Linux truncates fractions).
    public init(requestTimeout: Int = 30) {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = TimeInterval(max(1, requestTimeout))
        config.httpMaximumConnectionsPerHost = 64
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        session = URLSession(configuration: config)
        self.requestTimeout = max(1, requestTimeout)
    }

    public func send(_ message: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage {
        var request = URLRequest(url: message.url)
        request.httpMethod = message.method
        request.timeoutInterval = TimeInterval(requestTimeout)
        for (name, value) in message.headers { request.setValue(value, forHTTPHeaderField: name) }
        if !message.body.isEmpty { request.httpBody = Data(message.body) }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw TransportFailure.lost("not an HTTP response") }
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
            }
            return HTTPResponseMessage(status: http.statusCode, headers: headers, body: [UInt8](data))
        } catch let failure as TransportFailure {
            throw failure
        } catch let error as URLError {
            throw Self.classify(error)
        } catch {
            throw TransportFailure.lost("\(type(of: error))")
        }
    }

    /// Whether a URLError means the request never left (safe to send again) or may have arrived.
    static func classify(_ error: URLError) -> TransportFailure {
        let text = "URLError \(error.code.rawValue)"
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL,
             .unsupportedURL:
            return .notSent(text)
        default:
            return .lost(text)
        }
    }
}

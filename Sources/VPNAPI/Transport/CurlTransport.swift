import CCurl
import CCurlShim
import Foundation

/// Settings of the libcurl transport that do not change per request.
public struct TransportConfiguration: Sendable, Equatable {
    /// A PEM file of CA certificates to trust instead of the system's (`--ca-bundle`, `SSL_CERT_FILE`).
    public var caBundle: String?
    /// The proxy for https requests (`HTTPS_PROXY`); `nil` for none.
    public var proxy: String?
    /// Hosts that bypass the proxy, comma-separated as curl reads `NO_PROXY`. Loopback always does.
    public var noProxy: String?
    /// How long establishing a connection (TCP and TLS) may take.
    public var connectTimeout: Duration

    public init(caBundle: String? = nil, proxy: String? = nil, noProxy: String? = nil,
                connectTimeout: Duration = .seconds(10)) {
        self.caBundle = caBundle
        self.proxy = proxy
        self.noProxy = noProxy
        self.connectTimeout = connectTimeout
    }

    /// The settings from an environment, read as curl and Huawei's SDKs read them: `SSL_CERT_FILE`,
    /// `HTTPS_PROXY` (or `https_proxy`), `NO_PROXY` (or `no_proxy`). An explicit `caBundle` wins.
    public static func fromEnvironment(_ environment: [String: String],
                                       caBundle: String? = nil) -> TransportConfiguration {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        return TransportConfiguration(caBundle: caBundle ?? value("SSL_CERT_FILE"),
                                      proxy: value("HTTPS_PROXY", "https_proxy"),
                                      noProxy: value("NO_PROXY", "no_proxy"))
    }
}

/// The live transport: libcurl's multi interface, driven by one thread of its own that blocks in
/// `curl_multi_poll` while requests wait, so waiting costs no CPU.
///
/// A request that is not idempotent (every `POST`) goes out on a fresh connection that is closed after
/// its answer (`CURLOPT_FRESH_CONNECT`, `CURLOPT_FORBID_REUSE`): libcurl re-sends a request on its own
/// only when a *reused* connection dies, so a batch-create can never reach the API twice through the
/// stack. `GET`, `PUT` and `DELETE` keep connections alive. TLS peer and host verification are always
/// on. Deadlines are libcurl's own: a connect timeout and a whole-request timeout per attempt.
public final class CurlTransport: HTTPTransport {
    private let loop: CurlLoop

    /// Starts the transport's thread.
    /// - Throws: ``TransportSetupError`` when libcurl cannot be initialised or the thread cannot start.
    public init(configuration: TransportConfiguration = TransportConfiguration()) throws(TransportSetupError) {
        loop = try CurlLoop(configuration: configuration)
    }

    deinit {
        loop.stop()
    }

    public func send(_ request: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage {
        let transfer: CurlTransfer
        transfer = try CurlTransfer(request, configuration: loop.configuration)
        let loop = self.loop
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return try result.get()
    }
}

/// Why the transport could not start.
public enum TransportSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `curl_global_init` or `curl_multi_init` failed.
    case libcurl(String)
    /// The transport's thread could not start.
    case threadStart

    public var description: String {
        switch self {
        case .libcurl(let what): return "libcurl could not be initialised (\(what))"
        case .threadStart: return "the HTTP transport's thread could not start"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``LoopbackServer`` could not start. Each case carries the `errno` of the failing call.
public enum LoopbackServerError: Error, Equatable, CustomStringConvertible {
    /// `socket(2)` failed.
    case socket(errno: Int32)
    /// `setsockopt(2)` failed for the named option.
    case setOption(String, errno: Int32)
    /// `bind(2)` to 127.0.0.1 failed, for example `EADDRINUSE` for a fixed port.
    case bind(port: UInt16, errno: Int32)
    /// `listen(2)` failed.
    case listen(errno: Int32)
    /// `getsockname(2)` failed while reading back the chosen port.
    case getsockname(errno: Int32)
    /// The accept thread could not be started (`pthread_create`).
    case threadStart(errno: Int32)
    /// `maxConnections` was below 1.
    case invalidMaxConnections(Int)
    /// The TLS certificate or key could not be loaded; OpenSSL's reason.
    case tls(String)

    /// A one-line explanation including the system's text for the `errno`.
    public var description: String {
        switch self {
        case .socket(let code): "socket() failed: \(Self.text(code))"
        case .setOption(let name, let code): "setsockopt(\(name)) failed: \(Self.text(code))"
        case .bind(let port, let code): "bind(127.0.0.1:\(port)) failed: \(Self.text(code))"
        case .listen(let code): "listen() failed: \(Self.text(code))"
        case .getsockname(let code): "getsockname() failed: \(Self.text(code))"
        case .threadStart(let code): "could not start the accept thread: \(Self.text(code))"
        case .invalidMaxConnections(let value): "maxConnections must be at least 1, got \(value)"
        case .tls(let reason): "TLS set-up failed: \(reason)"
        }
    }

    private static func text(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}

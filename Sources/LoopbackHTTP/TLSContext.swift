import CTLS
#if canImport(Glibc)
import Glibc
#endif

/// The PEM files a server presents over TLS.
public struct TLSFiles: Sendable, Equatable {
    /// The server's certificate, followed by any intermediates.
    public var certificateChain: String
    /// The certificate's private key (unencrypted).
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}

/// An OpenSSL server context, loaded once and shared by every connection.
///
/// `SSL_CTX` may be used from many threads once set up (OpenSSL 1.1+ locks internally), and it is only
/// read after `init`, hence the unchecked `Sendable`.
final class TLSContext: @unchecked Sendable {
    private let context: OpaquePointer

    init(_ files: TLSFiles) throws(LoopbackServerError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .tls(Self.lastError("SSL_CTX_new")) }
        self.context = context
        // TLS 1.2 at least, as the real API gateway requires.
        _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        guard SSL_CTX_use_certificate_chain_file(context, files.certificateChain) == 1 else {
            throw .tls(Self.lastError("certificate \(files.certificateChain)"))
        }
        guard SSL_CTX_use_PrivateKey_file(context, files.privateKey, SSL_FILETYPE_PEM) == 1 else {
            throw .tls(Self.lastError("private key \(files.privateKey)"))
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .tls(Self.lastError("the private key does not match the certificate"))
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// Runs the server side of the handshake on `fd` (blocking, bounded by the socket's timeouts).
    /// - Returns: The session, or `nil` when the handshake failed (the caller closes the socket).
    func accept(fd: Int32) -> TLSSession? {
        guard let ssl = SSL_new(context) else { return nil }
        let session = TLSSession(ssl)
        guard SSL_set_fd(ssl, fd) == 1 else { return nil }
        while true {
            let result = SSL_accept(ssl)
            if result == 1 { return session }
            if SSL_get_error(ssl, result) == SSL_ERROR_SYSCALL && errno == EINTR { continue }
            ERR_clear_error()
            return nil
        }
    }

    /// `what: reason` from OpenSSL's error queue, which it then clears.
    static func lastError(_ what: String) -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return what }
        var buffer = [UInt8](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { ERR_error_string_n(code, $0.baseAddress, $0.count) }
        }
        return "\(what): \(String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self))"
    }
}

/// One TLS connection's OpenSSL state, used by its connection thread only.
final class TLSSession: @unchecked Sendable {
    let ssl: OpaquePointer

    init(_ ssl: OpaquePointer) {
        self.ssl = ssl
    }

    deinit {
        SSL_free(ssl)
    }

    /// Reads decrypted bytes; the same outcomes as a plain `recv`.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> ReceiveResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .received(0) }
        while true {
            let count = SSL_read(ssl, base, Int32(min(buffer.count, Int(Int32.max))))
            if count > 0 { return .received(Int(count)) }
            let code = errno
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_ZERO_RETURN:
                return .endOfStream
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return .timedOut
            case SSL_ERROR_SYSCALL where code == EINTR:
                continue
            case SSL_ERROR_SYSCALL where code == EAGAIN || code == EWOULDBLOCK:
                return .timedOut
            case SSL_ERROR_SYSCALL where count == 0:
                ERR_clear_error()
                return .endOfStream
            default:
                ERR_clear_error()
                return .failed(errno: code == 0 ? ECONNRESET : code)
            }
        }
    }

    /// Writes some of `bytes`. - Returns: The count written, or `nil` when the peer is gone or the send
    /// timeout elapsed.
    func send(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        while true {
            let count = SSL_write(ssl, base, Int32(min(bytes.count, Int(Int32.max))))
            if count > 0 { return Int(count) }
            if SSL_get_error(ssl, count) == SSL_ERROR_SYSCALL && errno == EINTR { continue }
            ERR_clear_error()
            return nil
        }
    }

    /// Sends TLS's close_notify (one attempt; the peer need not answer it).
    func shutdown() {
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}

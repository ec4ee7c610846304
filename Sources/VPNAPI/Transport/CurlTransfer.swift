import CCurl
import CCurlShim
import Foundation
import Synchronization

/// One request on a curl easy handle, with everything libcurl points into while it runs.
///
/// Built on the caller's thread, then handed once to the loop thread (through ``CurlLoop``'s lock),
/// which alone touches it until ``finish(_:)``. Only ``cancelRequested`` is shared, and it is atomic.
final class CurlTransfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let cancelRequested = Atomic<Bool>(false)
    var continuation: CheckedContinuation<Result<HTTPResponseMessage, TransportFailure>, Never>?

    private let host: String
    private let port: Int
    private let usesProxy: Bool
    private let timeoutMilliseconds: Int
    private let connectTimeoutMilliseconds: Int
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let requestBody: UnsafeMutableBufferPointer<CChar>
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var responseHeaders: [String: String] = [:]
    private var responseBody: [UInt8] = []

    /// Methods that may be sent again without changing the outcome (RFC 9110 §9.2.2) may reuse a
    /// connection; any other goes out alone on a fresh one.
    static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]

    init(_ request: HTTPRequestMessage, configuration: TransportConfiguration) throws(TransportFailure) {
        guard let handle = curl_easy_init() else { throw .notSent(.other(code: -1, detail: "curl_easy_init failed")) }
        self.handle = handle
        let scheme = request.url.scheme?.lowercased() ?? "https"
        host = request.url.host ?? ""
        port = request.url.port ?? (scheme == "http" ? 80 : 443)
        usesProxy = configuration.proxy != nil
        connectTimeoutMilliseconds = Self.milliseconds(configuration.connectTimeout)
        timeoutMilliseconds = request.timeout.map(Self.milliseconds) ?? 0
        requestBody = .allocate(capacity: max(1, request.body.count))
        _ = requestBody.initialize(from: request.body.map { CChar(bitPattern: $0) })
        errorBuffer.initialize(to: 0)

        setString(CURLOPT_URL, request.url.absoluteString)
        setLong(CURLOPT_NOSIGNAL, 1)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        if let bundle = configuration.caBundle { setString(CURLOPT_CAINFO, bundle) }
        // Explicit, so that libcurl does not read the process environment behind the caller's back.
        setString(CURLOPT_PROXY, configuration.proxy ?? "")
        setString(CURLOPT_NOPROXY, ([configuration.noProxy].compactMap { $0 } + ["localhost", "127.0.0.1", "::1"])
            .joined(separator: ","))
        setLong(CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds)
        setLong(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        _ = vpnform_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        // An empty `Expect:` stops libcurl from waiting for 100 Continue before a large body.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        _ = vpnform_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList)

        let method = request.method.uppercased()
        switch method {
        case "GET":
            setLong(CURLOPT_HTTPGET, 1)
        case "POST":
            setLong(CURLOPT_POST, 1)
        default:
            setString(CURLOPT_CUSTOMREQUEST, method)
        }
        if method == "POST" || !request.body.isEmpty {
            _ = vpnform_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            _ = vpnform_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, requestBody.baseAddress)
        }
        if !Self.idempotentMethods.contains(method) {
            // libcurl re-sends a request by itself only after a *reused* connection died: a request
            // that must not reach the server twice never rides one, and its connection is not kept.
            setLong(CURLOPT_FRESH_CONNECT, 1)
            setLong(CURLOPT_FORBID_REUSE, 1)
        }

        let this = Unmanaged.passUnretained(self).toOpaque()
        _ = vpnform_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            transfer.responseBody.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = vpnform_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, this)
        _ = vpnform_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            transfer.receivedHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = vpnform_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, this)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        requestBody.deallocate()
        errorBuffer.deallocate()
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        _ = vpnform_easy_setopt_long(handle, option, value)
    }

    private func setString(_ option: CURLoption, _ value: String) {
        _ = vpnform_easy_setopt_string(handle, option, value)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// One header line; a status line starts a new response (after `100 Continue` or a proxy's CONNECT).
    /// Read as bytes: it runs for every header of every answer.
    private func receivedHeader(_ line: UnsafeRawBufferPointer) {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        guard let first = line.firstIndex(where: { !blank($0) }), let last = line.lastIndex(where: { !blank($0) }) else {
            return
        }
        let text = line[first...last]
        if text.starts(with: "HTTP/".utf8) {
            responseHeaders = [:]
            return
        }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: text[..<colon].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        let rest = text[(colon + 1)...]
        let value = String(decoding: rest.drop { blank($0) }, as: UTF8.self)
        responseHeaders[name] = responseHeaders[name].map { "\($0), \(value)" } ?? value
    }

    /// Resumes the waiting task once; later calls do nothing.
    func finish(_ result: Result<HTTPResponseMessage, TransportFailure>) {
        continuation?.resume(returning: result)
        continuation = nil
    }

    /// Turns libcurl's result into the answer or a failure; `nil` means the transfer was abandoned.
    func complete(_ code: CURLcode?) {
        guard let code else {
            let sent = longInfo(CURLINFO_REQUEST_SIZE) > 0
            return finish(.failure(sent ? .lost(.cancelled) : .notSent(.cancelled)))
        }
        guard code == CURLE_OK else { return finish(.failure(failure(code))) }
        let status = longInfo(CURLINFO_RESPONSE_CODE)
        finish(.success(HTTPResponseMessage(status: status, headers: responseHeaders, body: responseBody)))
    }

    private func longInfo(_ info: CURLINFO) -> Int {
        var value = 0
        _ = vpnform_easy_getinfo_long(handle, info, &value)
        return value
    }

    /// Whether the request may have reached the server decides `notSent` against `lost`: libcurl counts
    /// the request bytes it wrote, and a request with none written cannot have been acted on.
    private func failure(_ code: CURLcode) -> TransportFailure {
        let sent = longInfo(CURLINFO_REQUEST_SIZE) > 0
        let osError = Int32(longInfo(CURLINFO_OS_ERRNO))
        let written = String(cString: errorBuffer)
        let detail = written.isEmpty ? String(cString: curl_easy_strerror(code)) : written
        let problem: NetworkProblem
        switch code {
        case CURLE_COULDNT_RESOLVE_PROXY:
            problem = .proxy(detail: detail)
        case CURLE_COULDNT_CONNECT where usesProxy, CURLE_PROXY:
            problem = .proxy(detail: detail)
        case CURLE_COULDNT_CONNECT:
            switch osError {
            case ECONNREFUSED: problem = .connectionRefused(host: host, port: port)
            case ETIMEDOUT: problem = .connectTimedOut(host: host, port: port, milliseconds: connectTimeoutMilliseconds)
            default: problem = .connectFailed(host: host, port: port, errno: osError)
            }
        case CURLE_COULDNT_RESOLVE_HOST:
            problem = .hostNotFound(host)
        case CURLE_OPERATION_TIMEDOUT:
            problem = sent ? .timedOut(milliseconds: timeoutMilliseconds)
                : .connectTimedOut(host: host, port: port,
                                   milliseconds: min(connectTimeoutMilliseconds, timeoutMilliseconds))
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CLIENTCERT:
            problem = .tls(host: host, port: port, detail: detail)
        case CURLE_GOT_NOTHING:
            problem = .emptyReply(host: host, port: port)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
            problem = osError == ECONNRESET || osError == EPIPE
                ? .connectionReset(host: host, port: port) : .other(code: Int(code.rawValue), detail: detail)
        case CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE:
            problem = .malformedReply(detail: detail)
        default:
            problem = .other(code: Int(code.rawValue), detail: detail)
        }
        return sent ? .lost(problem) : .notSent(problem)
    }
}

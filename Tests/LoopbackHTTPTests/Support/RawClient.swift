import Glibc

/// A blocking TCP client for inputs URLSession cannot produce. Use it inside `offPool`.
final class RawClient: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port`; every later read waits at most `timeout` seconds.
    init(port: UInt16, timeout: Int = 5) throws(Failure) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(call: "connect", code: code)
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Sends all of `text` (or bytes); returns `false` if the server has gone (EPIPE, ECONNRESET).
    @discardableResult
    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }

    /// Reads until `text` has appeared, EOF, an error, or the read timeout. Returns what arrived.
    func receive(until text: String) -> String {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains(text) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            received += chunk[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads until EOF, error or timeout. Returns the bytes and whether the stream ended cleanly.
    func receiveAll() -> (text: String, endedWith: Int32?) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { received += chunk[..<count]; continue }
            if count < 0 && errno == EINTR { continue }
            return (String(decoding: received, as: UTF8.self), count == 0 ? nil : errno)
        }
    }

    /// Sends `request` and reads the whole answer; returns the status code, or `nil` if none arrived.
    static func exchange(port: UInt16, _ request: String) throws -> (status: Int?, text: String) {
        let client = try RawClient(port: port)
        client.send(request)
        let (text, _) = client.receiveAll()
        return (statusCode(of: text), text)
    }

    /// The status code from the first status line in `text` (`HTTP/1.1 400 Bad Request` → 400).
    static func statusCode(of text: String) -> Int? {
        guard text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// What one `accept` produced.
enum AcceptResult {
    case accepted(fd: Int32, remote: String)
    /// A failure worth retrying after a pause (descriptor or memory exhaustion).
    case exhausted(errno: Int32)
    /// The socket was shut down or is unusable: the accept loop should end.
    case closed(errno: Int32)
}

/// A TCP socket listening on 127.0.0.1.
struct ListeningSocket {
    let fd: Int32
    let port: UInt16

    /// Opens, binds and listens.
    /// - Parameter port: The port to bind; 0 lets the kernel pick a free one, read back with `getsockname`.
    /// - Throws: ``LoopbackServerError`` naming the failing call.
    static func open(port: UInt16, backlog: Int32) throws(LoopbackServerError) -> ListeningSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket(errno: errno) }
        do throws(LoopbackServerError) {
            var one: Int32 = 1
            if setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                throw .setOption("SO_REUSEADDR", errno: errno)
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound != 0 { throw .bind(port: port, errno: errno) }
            if listen(fd, backlog) != 0 { throw .listen(errno: errno) }

            var chosen = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &chosen) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            if named != 0 { throw .getsockname(errno: errno) }
            return ListeningSocket(fd: fd, port: UInt16(bigEndian: chosen.sin_port))
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    /// Waits for the next connection. The accepted descriptor is made close-on-exec, so a `Process`
    /// launched by a test does not inherit it.
    func accept() -> AcceptResult {
        while true {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(fd, $0, &length)
                }
            }
            if client >= 0 {
                // Glibc's module does not export accept4 (it needs _GNU_SOURCE), so close-on-exec is
                // set just after accepting: only a process spawned in that instant could inherit it.
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                return .accepted(fd: client, remote: Self.describe(address))
            }
            let code = errno
            switch code {
            // ECONNABORTED: the peer gave up while queued; EPROTO and friends: Linux passes pending
            // network errors of the new socket to accept (accept(2), "Error handling").
            case EINTR, ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH,
                 EOPNOTSUPP, ENETUNREACH:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                return .exhausted(errno: code)
            default:
                return .closed(errno: code)
            }
        }
    }

    /// Stops listening: after this, connecting is refused and a thread blocked in `accept` wakes with
    /// `EINVAL`. `close` alone does not wake it on Linux.
    func shutDown() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Closes the descriptor; only after the accept thread has ended, so it cannot accept on a reused number.
    func close() {
        _ = Glibc.close(fd)
    }

    private static func describe(_ address: sockaddr_in) -> String {
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var raw = address.sin_addr
        guard inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil else { return "?" }
        let host = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return "\(host):\(UInt16(bigEndian: address.sin_port))"
    }
}

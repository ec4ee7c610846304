import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The machine's floor for `apply`'s throughput: bare sockets, no HTTP library, no JSON, no
/// signing. `parallelism` client threads each send requests one at a time, each on a fresh TCP
/// connection, to a server (a thread per connection, as the emulator's) that answers `latency`
/// after the request arrived. What this reaches of parallelism ÷ latency is what thread wake-ups,
/// loopback TCP and sleeping cost here, before vpnform does anything.
enum LoopbackFloor {
    /// Calls per second over `calls` calls.
    static func rate(calls: Int, parallelism: Int, latency: Double) throws -> Double {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw FloorError("socket") }
        // Closing it ends the accept thread.
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 128) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else { throw FloorError("bind") }
        let request = Array("POST /floor HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1500\r\n\r\n".utf8)
            + [UInt8](repeating: 0x78, count: 1500)
        let answer = Array("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8)
        Thread.detachNewThread {
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                Thread.detachNewThread {
                    var got = 0, buffer = [UInt8](repeating: 0, count: 4096)
                    while got < request.count {
                        let n = read(fd, &buffer, buffer.count)
                        if n <= 0 { break }
                        got += n
                    }
                    var deadline = timespec()
                    clock_gettime(CLOCK_MONOTONIC, &deadline)
                    let nanoseconds = deadline.tv_nsec + Int(latency * 1e9)
                    deadline.tv_sec += nanoseconds / 1_000_000_000
                    deadline.tv_nsec = nanoseconds % 1_000_000_000
                    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
                    _ = answer.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
            }
        }
        let port = address
        let next = Counter()
        let done = DispatchGroup()
        let start = Date()
        for _ in 0..<parallelism {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                while next.take() <= calls {
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    guard fd >= 0 else { return }
                    var to = port, yes: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                    _ = withUnsafePointer(to: &to) { p in
                        p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                    _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while read(fd, &buffer, buffer.count) > 0 {}
                    close(fd)
                }
            }
        }
        done.wait()
        return Double(calls) / Date().timeIntervalSince(start)
    }

    /// Hands out call numbers 1, 2, 3 … to the client threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func take() -> Int { lock.withLock { value += 1; return value } }
    }

    struct FloorError: Error, CustomStringConvertible {
        var description: String
        init(_ call: String) { description = "loopback floor: \(call) failed (errno \(errno))" }
    }
}

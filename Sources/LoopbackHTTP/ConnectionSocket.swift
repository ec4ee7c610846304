#if canImport(Glibc)
import Glibc
#endif

/// What one `recv` produced.
enum ReceiveResult: Equatable {
    case received(Int)
    /// The peer closed its sending side (FIN).
    case endOfStream
    /// `SO_RCVTIMEO` elapsed with nothing to read.
    case timedOut
    /// Any other failure, typically `ECONNRESET`.
    case failed(errno: Int32)
}

/// One accepted TCP connection, used with blocking calls on its own thread.
///
/// Every call retries `EINTR`; sends use `MSG_NOSIGNAL`, so a vanished peer yields `EPIPE` or
/// `ECONNRESET` instead of a process-killing `SIGPIPE`. The owner closes the descriptor exactly once,
/// through `close()`, `reset()` or `lingeringClose(within:)`.
struct ConnectionSocket {
    let fd: Int32
    /// The TLS session over `fd`, when the server speaks https: reads and writes then go through it.
    var tls: TLSSession?

    /// Sets the idle timeouts for reads and writes, and disables Nagle (100 Continue is a small write
    /// that must not wait for an ACK).
    func configure(idleTimeout: Duration) {
        setTimeout(SO_RCVTIMEO, idleTimeout)
        setTimeout(SO_SNDTIMEO, idleTimeout)
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sets `SO_RCVTIMEO` or `SO_SNDTIMEO`; a zero duration would mean "no timeout", so it is raised to 1 ms.
    func setTimeout(_ option: Int32, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        if value.tv_sec <= 0 && value.tv_usec <= 0 { value = timeval(tv_sec: 0, tv_usec: 1000) }
        _ = setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads what is available (blocking up to the receive timeout) into `buffer`.
    func receive(into buffer: UnsafeMutableRawBufferPointer, flags: Int32 = 0) -> ReceiveResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .received(0) }
        // A TLS session cannot be read without blocking; the over-capacity path never has one.
        if let tls { return tls.receive(into: buffer) }
        while true {
            let count = recv(fd, base, buffer.count, flags)
            if count > 0 { return .received(count) }
            if count == 0 { return .endOfStream }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .timedOut
            default: return .failed(errno: code)
            }
        }
    }

    /// Writes every byte, looping over partial sends.
    /// - Returns: `false` when the peer went away, the send timeout elapsed, or `deadline` passed.
    @discardableResult
    func sendAll(_ bytes: [UInt8], deadline: ContinuousClock.Instant, flags: Int32 = 0) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                if ContinuousClock.now > deadline { return false }
                if let tls {
                    guard let sent = tls.send(UnsafeRawBufferPointer(rebasing: raw[offset...])) else { return false }
                    offset += sent
                    continue
                }
                let sent = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL) | flags)
                if sent >= 0 {
                    offset += sent
                } else if errno != EINTR {
                    return false  // EPIPE, ECONNRESET, or EAGAIN from SO_SNDTIMEO
                }
            }
            return true
        }
    }

    /// Closes the descriptor. `EINTR` is not retried: on Linux the descriptor is gone either way, and a
    /// retry could close a descriptor another thread has just been given.
    func close() {
        _ = Glibc.close(fd)
    }

    /// Closes with `SO_LINGER` 0, so the kernel sends RST and discards unsent data.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Sends FIN, then reads and discards input until the peer closes, before closing.
    ///
    /// Closing a socket whose receive queue still holds data makes Linux send RST, and an RST can
    /// destroy a response the client has not read yet (an early 413 or 431 while the client is still
    /// sending). Draining first is the "lingering close" of RFC 9112 §9.6. Bounded by `within` and by
    /// `maxBytes`, so a client that never closes costs at most that long.
    func lingeringClose(within timeout: Duration, maxBytes: Int = 64 << 20) {
        tls?.shutdown()
        _ = shutdown(fd, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + timeout
        setTimeout(SO_RCVTIMEO, timeout)
        var discarded = 0
        withUnsafeTemporaryAllocation(byteCount: 64 << 10, alignment: 16) { scratch in
            while discarded < maxBytes, ContinuousClock.now < deadline,
                  case .received(let count) = receive(into: scratch) {
                discarded += count
            }
        }
        close()
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The state shared by the accept thread and the connection threads.
///
/// Kept apart from ``LoopbackServer`` so the threads do not keep the public object alive: when the last
/// reference to the server goes, its `deinit` can still stop everything.
final class ServerCore: Sendable {
    struct State {
        var stopping = false
        var activeConnections = 0
        var acceptedConnections = 0
        var acceptThread: pthread_t?
    }

    let listener: ListeningSocket
    let limits: ServerLimits
    let maxConnections: Int
    /// Whether connections stay open after an answer (HTTP keep-alive).
    let keepAlive: Bool
    /// Set when connections speak TLS.
    let tls: TLSContext?
    let handler: @Sendable (HTTPRequest) -> HTTPAction
    let state = PThreadLocked(State())
    private let stopGate = PThreadLocked(false)

    /// Written without reading the request, from the accept thread, so it must never block.
    private static let overCapacity = HTTPResponse(
        status: 503, headers: [("Retry-After", "1"), ("Content-Type", "text/plain; charset=utf-8")],
        body: Array("server at its connection limit\n".utf8)
    ).wireBytes()

    init(
        listener: ListeningSocket,
        limits: ServerLimits,
        maxConnections: Int,
        keepAlive: Bool,
        tls: TLSContext?,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPAction
    ) {
        self.tls = tls
        self.listener = listener
        self.limits = limits
        self.maxConnections = maxConnections
        self.keepAlive = keepAlive
        self.handler = handler
    }

    /// Accepts until ``stop()``; runs on its own thread.
    func acceptLoop() {
        while true {
            switch listener.accept() {
            case .accepted(let fd, let remote):
                admit(fd: fd, remote: remote)
            case .exhausted:
                if state.withLock({ $0.stopping }) { return }
                // Out of descriptors or memory: pause instead of spinning; connections wait in the backlog.
                sleep(for: .milliseconds(10))
            case .closed:
                // After `shutdown` this is EINVAL, the normal way out. Any other error also ends the loop,
                // since retrying a broken listening socket would spin.
                return
            }
        }
    }

    /// Hands a connection to its own thread, or answers 503 when at the limit.
    private func admit(fd: Int32, remote: String) {
        let number: Int? = state.withLock { state in
            guard state.activeConnections < maxConnections else { return nil }
            state.activeConnections += 1
            state.acceptedConnections += 1
            return state.acceptedConnections
        }
        guard let number else {
            // A plain-text 503 means nothing to a TLS client: it just sees the connection close.
            if tls != nil { return ConnectionSocket(fd: fd).close() }
            return refuse(fd: fd)
        }
        let started = OSThread.start(joinable: false) { [self] in
            serve(fd: fd, remote: remote, number: number)
            state.withLock { $0.activeConnections -= 1 }
        }
        if case .failure = started {
            state.withLock { $0.activeConnections -= 1 }
            refuse(fd: fd)
        }
    }

    /// Answers 503 and closes, without blocking the accept thread.
    ///
    /// Whatever the client already sent is drained first (non-blocking) so the close is more likely a
    /// FIN than an RST; a client still sending after that may see a reset instead of the 503.
    private func refuse(fd: Int32) {
        let socket = ConnectionSocket(fd: fd)
        let dontWait = Int32(MSG_DONTWAIT)
        withUnsafeTemporaryAllocation(byteCount: 16 << 10, alignment: 16) { scratch in
            for _ in 0..<8 {
                guard case .received = socket.receive(into: scratch, flags: dontWait) else { break }
            }
        }
        socket.sendAll(Self.overCapacity, deadline: .now + .milliseconds(50), flags: dontWait)
        _ = shutdown(fd, Int32(SHUT_WR))
        socket.close()
    }

    /// Stops accepting and waits for the accept thread to end. Idempotent.
    ///
    /// The whole sequence runs under `stopGate`, so a second, concurrent caller returns only once the
    /// listener is really closed. It is a separate lock from `state` because the accept thread takes
    /// `state` while being joined here.
    func stop() {
        stopGate.withLock { stopped in
            guard !stopped else { return }
            stopped = true
            let acceptThread = state.withLock { state in
                state.stopping = true
                return state.acceptThread
            }
            listener.shutDown()
            if let acceptThread { OSThread.join(acceptThread) }
            listener.close()
        }
    }

    var activeConnections: Int {
        state.withLock { $0.activeConnections }
    }
}

/// Sleeps the calling OS thread (never call it from a Swift concurrency task), resuming after `EINTR`.
func sleep(for duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
        request = remaining
    }
}

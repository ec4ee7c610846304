/// An HTTP/1.1 server on 127.0.0.1 for tests and the API emulator.
///
/// By default one request per connection, answered with `Connection: close`; with `keepAlive` a
/// connection serves request after request until the client closes it or it idles for the idle
/// timeout, as an API gateway does. Blocking socket work runs on OS
/// threads (one accept thread, one thread per connection), never on the Swift concurrency pool, so a
/// handler may block and a slow client stalls only its own connection.
///
/// ```swift
/// let server = try LoopbackServer { request in .respond(.json(200, #"{"ok":true}"#)) }
/// defer { server.stop() }
/// let url = URL(string: "http://127.0.0.1:\(server.port)/v1/ping")!
/// ```
///
/// The server never changes the process's `SIGPIPE` disposition: every send uses `MSG_NOSIGNAL`.
public final class LoopbackServer: Sendable {
    /// The port the server listens on; the kernel's choice when `0` was requested.
    public let port: UInt16

    /// `https` when the server speaks TLS, else `http`.
    public let scheme: String

    private let core: ServerCore

    /// Binds 127.0.0.1 and starts accepting.
    /// - Parameters:
    ///   - port: The port to bind; `0` (the default) picks a free one, which parallel tests need.
    ///   - maxConnections: Connections served at once. Beyond it a new connection gets 503 with
    ///     `Retry-After: 1` and is closed, without its request being read.
    ///   - keepAlive: Whether a connection stays open after an answer for the client's next request.
    ///   - tls: When set, every connection speaks TLS with this certificate and key (https).
    ///   - handler: Called once per complete request on that connection's thread; it may block.
    /// - Throws: ``LoopbackServerError`` when the socket or TLS cannot be set up or the accept thread
    ///   cannot start.
    public convenience init(
        port: UInt16 = 0,
        maxConnections: Int = 256,
        keepAlive: Bool = false,
        tls: TLSFiles? = nil,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPAction
    ) throws(LoopbackServerError) {
        try self.init(
            port: port, maxConnections: maxConnections, keepAlive: keepAlive, tls: tls, limits: ServerLimits(),
            handler: handler
        )
    }

    /// Binds with explicit limits; tests use it to shorten timeouts.
    init(
        port: UInt16,
        maxConnections: Int,
        keepAlive: Bool = false,
        tls: TLSFiles? = nil,
        limits: ServerLimits,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPAction
    ) throws(LoopbackServerError) {
        guard maxConnections >= 1 else { throw .invalidMaxConnections(maxConnections) }
        let context = try tls.map { files throws(LoopbackServerError) in try TLSContext(files) }
        let listener = try ListeningSocket.open(port: port, backlog: limits.backlog)
        let core = ServerCore(listener: listener, limits: limits, maxConnections: maxConnections, keepAlive: keepAlive,
                              tls: context, handler: handler)
        // Nothing can call `stop()` before this initializer returns, so storing the id after the start is safe.
        let started = OSThread.start(joinable: true) { core.acceptLoop() }
        switch started {
        case .success(let thread):
            core.state.withLock { $0.acceptThread = thread }
        case .failure(let error):
            listener.close()
            throw .threadStart(errno: error.code)
        }
        self.port = listener.port
        self.core = core
        scheme = tls == nil ? "http" : "https"
    }

    deinit {
        core.stop()
    }

    /// Stops listening: once it returns, connecting to ``port`` is refused and the accept thread has
    /// ended. Connections already accepted finish their request. Safe to call more than once and from
    /// any thread, including a handler.
    public func stop() {
        core.stop()
    }

    /// Connections currently being served; for tests.
    var activeConnections: Int {
        core.activeConnections
    }

    /// Connections accepted and served since the start (refused ones not counted).
    public var acceptedConnections: Int {
        core.state.withLock { $0.acceptedConnections }
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension ServerCore {
    /// Serves the requests of one connection, then closes it; runs on the connection's own thread.
    ///
    /// With keep-alive off, one request per connection with `Connection: close`. With it on, the
    /// connection stays open after each answer until the client asks to close, stays idle for the idle
    /// timeout, or a handler drops it; every request carries its connection's number and how many
    /// requests came before it on that connection.
    func serve(fd: Int32, remote: String, number: Int) {
        var socket = ConnectionSocket(fd: fd)
        socket.configure(idleTimeout: limits.idleTimeout)
        if let tls {
            // OpenSSL writes without MSG_NOSIGNAL: a vanished peer must give EPIPE on this thread, not
            // SIGPIPE for the process.
            var pipe = sigset_t()
            sigemptyset(&pipe)
            sigaddset(&pipe, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipe, nil)
            guard let session = tls.accept(fd: fd) else { return socket.close() }
            socket.tls = session
        }
        var reader = RequestReader(socket: socket, limits: limits)
        var served = 0
        while true {
            switch reader.read(remote: remote) {
            case .abandoned:
                return socket.close()
            case .rejected(let rejection):
                respond(rejection.response, on: socket, omitBody: false, keepAlive: false)
                return
            case .request(var request):
                request.connectionNumber = number
                request.earlierRequestsOnConnection = served
                served += 1
                let isHead = request.method == "HEAD"
                let keepAlive = self.keepAlive && request.allowsKeepAlive
                switch handler(request) {
                case .respond(let response):
                    guard respond(response, on: socket, omitBody: isHead, keepAlive: keepAlive) else { return }
                case .respondAfter(let delay, let response):
                    sleep(for: delay)
                    guard respond(response, on: socket, omitBody: isHead, keepAlive: keepAlive) else { return }
                case .closeWithoutResponse:
                    return socket.close()
                case .resetConnection:
                    return socket.reset()
                }
            }
        }
    }

    /// Writes the response; unless the connection stays open, closes it. A failed write (peer gone)
    /// just closes: nothing to report to.
    /// - Returns: Whether the connection is still open for another request.
    @discardableResult
    private func respond(
        _ response: HTTPResponse, on socket: ConnectionSocket, omitBody: Bool, keepAlive: Bool
    ) -> Bool {
        let written = socket.sendAll(
            response.wireBytes(omitBody: omitBody, keepAlive: keepAlive), deadline: .now + limits.responseDeadline
        )
        if written && keepAlive { return true }
        if written {
            socket.lingeringClose(within: limits.lingerTimeout)
        } else {
            socket.close()
        }
        return false
    }
}

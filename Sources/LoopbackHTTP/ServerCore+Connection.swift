extension ServerCore {
    /// Serves one request on one connection, then closes it; runs on the connection's own thread.
    ///
    /// One request per connection with `Connection: close`: no keep-alive means no idle connections to
    /// time out and no client reusing a connection the server is about to close.
    func serve(fd: Int32, remote: String) {
        let socket = ConnectionSocket(fd: fd)
        socket.configure(idleTimeout: limits.idleTimeout)

        switch RequestReader(socket: socket, limits: limits).read(remote: remote) {
        case .abandoned:
            socket.close()
        case .rejected(let rejection):
            respond(rejection.response, on: socket, omitBody: false)
        case .request(let request):
            let isHead = request.method == "HEAD"
            switch handler(request) {
            case .respond(let response):
                respond(response, on: socket, omitBody: isHead)
            case .respondAfter(let delay, let response):
                sleep(for: delay)
                respond(response, on: socket, omitBody: isHead)
            case .closeWithoutResponse:
                socket.close()
            case .resetConnection:
                socket.reset()
            }
        }
    }

    /// Writes the response and closes. A failed write (peer gone) just closes: nothing to report to.
    private func respond(_ response: HTTPResponse, on socket: ConnectionSocket, omitBody: Bool) {
        let written = socket.sendAll(
            response.wireBytes(omitBody: omitBody), deadline: .now + limits.responseDeadline
        )
        if written {
            socket.lingeringClose(within: limits.lingerTimeout)
        } else {
            socket.close()
        }
    }
}

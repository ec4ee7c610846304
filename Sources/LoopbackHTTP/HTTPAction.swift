/// What the server does with a request once the handler has seen it.
///
/// The drop cases let an emulator produce the "outcome unknown" failures a real API gateway causes:
/// the request arrived in full, the handler may have acted on it, and the client gets no answer.
public enum HTTPAction: Sendable {
    /// Send this response; then close the connection, unless it is kept alive.
    case respond(HTTPResponse)
    /// Sleep on the connection's thread for `delay`, then send the response. Use it to trip a client's
    /// timeout; the sleep holds one connection slot, not a Swift concurrency thread.
    case respondAfter(delay: Duration, HTTPResponse)
    /// Close the connection without writing a byte, with an orderly close (FIN).
    ///
    /// FoundationNetworking reports this as `URLError.badServerResponse` (-1011): libcurl's
    /// "Empty reply from server".
    case closeWithoutResponse
    /// Reset the connection without writing a byte (`SO_LINGER` 0, then close, sends RST).
    ///
    /// FoundationNetworking reports this as `URLError.networkConnectionLost` (-1005).
    case resetConnection
}

extension HTTPResponse {
    /// Header names the server owns: a handler's copies are dropped so framing cannot be contradicted.
    private static let framingHeaders = ["content-length", "connection", "transfer-encoding"]

    /// The response as HTTP/1.1 bytes: status line, headers, blank line, then the content.
    ///
    /// One buffer, so the whole message normally leaves in a single `send` (no Nagle or delayed-ACK
    /// stall between head and body).
    /// - Parameter omitBody: `true` for a reply to `HEAD`: `Content-Length` still states the size of
    ///   the content a `GET` would get, but no content is sent.
    /// - Returns: The bytes to write.
    ///   - keepAlive: Whether the connection stays open for another request (`Connection: keep-alive`)
    ///     or closes after this answer (`Connection: close`).
    func wireBytes(omitBody: Bool = false, keepAlive: Bool = false) -> [UInt8] {
        var status = self.status
        var reason = self.reason
        var body = self.body
        if !(200...999).contains(status) {
            body = Array("handler returned status \(status), which is not a final status\n".utf8)
            status = 500
            reason = HTTPResponse.reasonPhrase(for: 500)
        }
        // RFC 9110 §8.6 and §15.4.5: no content for 204 and 304, and no Content-Length for 204.
        let forbidsContent = status == 204 || status == 304
        if forbidsContent { body = [] }

        var head = "HTTP/1.1 \(status) \(Self.sanitized(reason))\r\n"
        for (name, value) in headers {
            let lower = name.lowercased()
            if Self.framingHeaders.contains(lower) { continue }
            head += "\(Self.sanitized(name)): \(Self.sanitized(value))\r\n"
        }
        if !forbidsContent {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"

        var bytes = Array(head.utf8)
        if !omitBody {
            bytes.reserveCapacity(bytes.count + body.count)
            bytes += body
        }
        return bytes
    }

    /// Replaces CR, LF and NUL with spaces (a CRLF pair, one `Character`, becomes one space), so a header
    /// value cannot start a new header line.
    private static func sanitized(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else { return text }
        return String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\0" || $0 == "\r\n" ? " " : $0 })
    }
}

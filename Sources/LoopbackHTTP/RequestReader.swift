/// Reads exactly one request from a connection.
struct RequestReader {
    /// How reading ended.
    enum Outcome {
        /// A complete request.
        case request(HTTPRequest)
        /// A request the server answers itself.
        case rejected(RequestRejection)
        /// Nothing worth answering: the peer sent nothing, reset, or vanished.
        case abandoned
    }

    let socket: ConnectionSocket
    let limits: ServerLimits
    /// Bytes read past the end of the previous request on a kept-alive connection (a pipelining client).
    var carried: [UInt8] = []

    private static let headTerminator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Reads the head, answers `Expect: 100-continue`, then reads `Content-Length` bytes of content.
    mutating func read(remote: String) -> Outcome {
        let deadline = ContinuousClock.now + limits.requestDeadline
        var buffer: [UInt8] = carried
        carried = []
        buffer.reserveCapacity(4096)
        var skippedBlankLines = 0
        var searchFrom = 0
        var headEnd: Int?
        var first = !buffer.isEmpty

        while headEnd == nil {
            // Bytes carried over from the previous request are searched before reading more.
            let received = first ? ReceiveResult.received(0) : receiveMore(into: &buffer, deadline: deadline)
            first = false
            switch received {
            case .received:
                break
            case .endOfStream:
                return buffer.isEmpty ? .abandoned : .rejected(.badRequest("connection closed mid-head"))
            case .timedOut:
                return buffer.isEmpty ? .abandoned : .rejected(.timedOut)
            case .failed:
                return .abandoned
            }
            // RFC 9112 §2.2: ignore empty lines before the request line.
            while buffer.count >= 2, buffer[0] == 0x0D, buffer[1] == 0x0A {
                buffer.removeFirst(2)
                skippedBlankLines += 2
                searchFrom = 0
            }
            headEnd = Self.find(Self.headTerminator, in: buffer, from: searchFrom)
            searchFrom = max(0, buffer.count - 3)
            if skippedBlankLines + (headEnd ?? buffer.count) > limits.maxHeadBytes {
                return .rejected(.headersTooLarge(limit: limits.maxHeadBytes))
            }
        }

        guard let end = headEnd else { return .abandoned }
        do throws(RequestRejection) {
            let head = try RequestHead.parse(buffer[..<end])
            let framing = try BodyFraming(of: head, maxContentLength: limits.maxContentLength)
            let bodyStart = end + Self.headTerminator.count
            let alreadyHere = min(framing.contentLength, buffer.count - bodyStart)
            if framing.expectsContinue && alreadyHere < framing.contentLength {
                guard socket.sendAll(Self.continueLine, deadline: deadline) else { return .abandoned }
            }
            guard let body = try readBody(
                length: framing.contentLength, prefix: buffer[bodyStart..<(bodyStart + alreadyHere)],
                deadline: deadline
            ) else { return .abandoned }
            carried = Array(buffer[(bodyStart + alreadyHere)...])
            var request = HTTPRequest(
                method: head.method, target: head.target, headers: head.headers, body: body,
                remoteDescription: remote
            )
            request.allowsKeepAlive = Self.allowsKeepAlive(head)
            return .request(request)
        } catch {
            return .rejected(error)
        }
    }

    /// Reads the rest of the content. Returns `nil` when the peer vanished.
    private func readBody(
        length: Int,
        prefix: ArraySlice<UInt8>,
        deadline: ContinuousClock.Instant
    ) throws(RequestRejection) -> [UInt8]? {
        var body = [UInt8](repeating: 0, count: length)
        var filled = prefix.count
        body.replaceSubrange(0..<filled, with: prefix)
        while filled < length {
            guard ContinuousClock.now < deadline else { throw .timedOut }
            let result = body.withUnsafeMutableBytes { raw in
                socket.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            switch result {
            case .received(let count): filled += count
            case .endOfStream: throw .badRequest("connection closed after \(filled) of \(length) content bytes")
            case .timedOut: throw .timedOut
            case .failed: return nil
            }
        }
        return body
    }

    /// Appends one `recv` worth of bytes, honouring the whole-request deadline.
    private func receiveMore(into buffer: inout [UInt8], deadline: ContinuousClock.Instant) -> ReceiveResult {
        guard ContinuousClock.now < deadline else { return .timedOut }
        return withUnsafeTemporaryAllocation(byteCount: 16 << 10, alignment: 16) { scratch in
            let result = socket.receive(into: scratch)
            if case .received(let count) = result {
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
            }
            return result
        }
    }

    /// RFC 9112 §9.3: HTTP/1.1 persists unless `Connection: close`; HTTP/1.0 only with `keep-alive`.
    static func allowsKeepAlive(_ head: RequestHead) -> Bool {
        let tokens = head.headers.filter { $0.name.asciiCaseInsensitiveEquals("connection") }
            .flatMap { $0.value.split(separator: ",") }
            .map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
        if tokens.contains("close") { return false }
        return head.minorVersion >= 1 || tokens.contains("keep-alive")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

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

    private static let headTerminator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Reads the head, answers `Expect: 100-continue`, then reads `Content-Length` bytes of content.
    func read(remote: String) -> Outcome {
        let deadline = ContinuousClock.now + limits.requestDeadline
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        var skippedBlankLines = 0
        var searchFrom = 0
        var headEnd: Int?

        while headEnd == nil {
            let received = receiveMore(into: &buffer, deadline: deadline)
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
            return .request(HTTPRequest(
                method: head.method, target: head.target, headers: head.headers, body: body,
                remoteDescription: remote
            ))
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

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

/// A request as the emulator sees it, independent of the socket layer.
public struct EmulatorRequest: Sendable {
    public var method: String
    /// The raw request target: path and query, percent-encoded as received.
    public var target: String
    /// Header names and values in order, as received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Which connection carried it (the server's count, from 1); 0 when not over a socket.
    public var connectionNumber: Int
    /// Requests the same connection carried before it: above 0, a reused keep-alive connection.
    public var earlierRequestsOnConnection: Int

    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8],
                connectionNumber: Int = 0, earlierRequestsOnConnection: Int = 0) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.connectionNumber = connectionNumber
        self.earlierRequestsOnConnection = earlierRequestsOnConnection
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The path, before `?`.
    public var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }

    /// The raw query, after `?`.
    public var rawQuery: String {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? String(parts[1]) : ""
    }
}

/// What the emulator does with a request.
public enum EmulatorReply: Sendable, Equatable {
    /// Answer with a status, headers and a JSON body.
    case respond(status: Int, headers: [String: String], body: [UInt8])
    /// Close the connection without answering.
    case drop

    /// The status, or `nil` for a drop.
    public var status: Int? { if case .respond(let s, _, _) = self { return s } else { return nil } }
}

/// A batch-create as it arrived, before any fault or check: what a test counts to show that no
/// request reached the API twice.
public struct ReceivedBatchCreate: Sendable, Equatable {
    /// The `Signature=` of its `Authorization` header (empty when unsigned).
    public var signature: String
    /// The connection names in its body (empty when the body does not parse).
    public var names: [String]
    /// Which connection carried it, and how many requests that connection carried before it.
    public var connectionNumber: Int
    public var earlierRequestsOnConnection: Int
}

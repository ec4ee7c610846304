/// A request as the emulator sees it, independent of the socket layer.
public struct EmulatorRequest: Sendable {
    public var method: String
    /// The raw request target: path and query, percent-encoded as received.
    public var target: String
    /// Header names and values in order, as received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
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

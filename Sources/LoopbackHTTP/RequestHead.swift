/// The request line and header fields of one request, parsed strictly (RFC 9112 §3 and §5).
///
/// Strict on purpose: the emulator exists to catch client bugs, so anything a lenient server would
/// guess about (bare LF, obs-fold, whitespace before the colon, a missing `Host`) is a 400.
struct RequestHead {
    var method: String
    var target: String
    /// The minor version of HTTP/1.x (0 or 1; a higher minor is treated as 1).
    var minorVersion: Int
    var headers: [(name: String, value: String)]

    /// Parses the head without its final blank line.
    /// - Parameter bytes: The bytes up to, not including, the `\r\n\r\n` that ends the header section.
    /// - Throws: ``RequestRejection/badRequest(_:)`` or ``RequestRejection/versionNotSupported(_:)``.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(RequestRejection) -> RequestHead {
        let lines = try splitLines(bytes)
        guard let requestLine = lines.first else { throw .badRequest("empty request") }
        let (method, target, minor) = try parseRequestLine(requestLine)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(lines.count - 1)
        for line in lines.dropFirst() {
            headers.append(try parseField(line))
        }
        if minor >= 1 {
            // RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host.
            let hosts = headers.count { $0.name.asciiCaseInsensitiveEquals("host") }
            if hosts != 1 { throw .badRequest(hosts == 0 ? "missing Host header" : "more than one Host header") }
        }
        return RequestHead(method: method, target: target, minorVersion: minor, headers: headers)
    }

    /// Splits on CRLF; a bare CR or LF anywhere is an error rather than a line break.
    private static func splitLines(_ bytes: ArraySlice<UInt8>) throws(RequestRejection) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case 0x0D:
                guard index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A else {
                    throw .badRequest("bare CR in request head")
                }
                lines.append(bytes[start..<index])
                index += 2
                start = index
            case 0x0A:
                throw .badRequest("bare LF in request head")
            default:
                index += 1
            }
        }
        lines.append(bytes[start..<bytes.endIndex])
        return lines
    }

    private static func parseRequestLine(
        _ line: ArraySlice<UInt8>
    ) throws(RequestRejection) -> (String, String, Int) {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .badRequest("request line is not 'METHOD target HTTP/1.1'") }
        let (methodBytes, targetBytes, versionBytes) = (parts[0], parts[1], parts[2])

        guard !methodBytes.isEmpty, methodBytes.allSatisfy(isTokenByte) else {
            throw .badRequest("invalid method")
        }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest("invalid request target")
        }
        let target = String(decoding: targetBytes, as: UTF8.self)
        let isOrigin = target.hasPrefix("/")
        let isAbsolute = target.lowercased().hasPrefix("http://") || target.lowercased().hasPrefix("https://")
        guard isOrigin || isAbsolute || target == "*" else {
            throw .badRequest("request target must be a path, an absolute URL or '*'")
        }

        let version = Array(versionBytes)
        let digit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)),
              digit(version[5]), version[6] == 0x2E, digit(version[7]) else {
            throw .badRequest("invalid HTTP version")
        }
        guard version[5] == 0x31 else {
            throw .versionNotSupported(String(decoding: version, as: UTF8.self))
        }
        return (String(decoding: methodBytes, as: UTF8.self), target, min(Int(version[7] - 0x30), 1))
    }

    private static func parseField(_ line: ArraySlice<UInt8>) throws(RequestRejection) -> (String, String) {
        if let first = line.first, first == 0x20 || first == 0x09 {
            throw .badRequest("obsolete line folding in header section")
        }
        guard let colon = line.firstIndex(of: 0x3A) else { throw .badRequest("header line without ':'") }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw .badRequest("invalid header name")
        }
        var value = line[(colon + 1)...]
        while let byte = value.first, byte == 0x20 || byte == 0x09 { value = value.dropFirst() }
        while let byte = value.last, byte == 0x20 || byte == 0x09 { value = value.dropLast() }
        // field-vchar, SP, HTAB and obs-text are allowed; other control bytes (NUL, DEL …) are not.
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            throw .badRequest("control character in value of header '\(String(decoding: name, as: UTF8.self))'")
        }
        return (String(decoding: name, as: UTF8.self), decodeValue(value))
    }

    /// UTF-8 when the bytes are valid UTF-8, otherwise ISO 8859-1, so no byte is lost or replaced.
    private static func decodeValue(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// RFC 9110 §5.6.2 tchar.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}

/// How the content of a request is delimited, decided from its header fields (RFC 9112 §6).
struct BodyFraming: Equatable {
    /// The number of content bytes that follow the head.
    var contentLength: Int
    /// The client waits for `100 Continue` before sending the content.
    var expectsContinue: Bool

    init(contentLength: Int, expectsContinue: Bool) {
        self.contentLength = contentLength
        self.expectsContinue = expectsContinue
    }

    /// Decides the framing, or the error answer.
    /// - Parameters:
    ///   - head: The parsed head.
    ///   - maxContentLength: The largest accepted body.
    /// - Throws: 501 for any `Transfer-Encoding`, 400 for an invalid or conflicting `Content-Length`,
    ///   413 above the limit, 417 for an `Expect` other than `100-continue`.
    init(of head: RequestHead, maxContentLength: Int) throws(RequestRejection) {
        let fields = head.headers
        if fields.contains(where: { $0.name.asciiCaseInsensitiveEquals("transfer-encoding") }) {
            // Chunked uploads come only from streamed bodies; URLSession sends Content-Length for data.
            throw .notImplemented("Transfer-Encoding; send Content-Length")
        }

        var length: Int?
        for field in fields where field.name.asciiCaseInsensitiveEquals("content-length") {
            // A list of identical values ("5, 5") is allowed (RFC 9112 §6.3, item 5); anything else is not.
            for item in field.value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingASCIISpace()
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw .badRequest("invalid Content-Length '\(field.value)'")
                }
                // All digits, so a failed conversion means the number overflowed Int: too large.
                guard let value = Int(text) else { throw .contentTooLarge(limit: maxContentLength) }
                if let previous = length, previous != value {
                    throw .badRequest("conflicting Content-Length values")
                }
                length = value
            }
        }
        contentLength = length ?? 0
        if contentLength > maxContentLength { throw .contentTooLarge(limit: maxContentLength) }

        expectsContinue = false
        for field in fields where field.name.asciiCaseInsensitiveEquals("expect") {
            guard field.value.asciiCaseInsensitiveEquals("100-continue") else {
                throw .expectationFailed(field.value)
            }
            // RFC 9110 §10.1.1: ignore the expectation in an HTTP/1.0 request.
            expectsContinue = head.minorVersion >= 1
        }
    }
}

extension Substring {
    /// Drops leading and trailing spaces and tabs (HTTP's OWS).
    func trimmingASCIISpace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

import VPNCrypto

/// A query parameter, unencoded.
public struct QueryItem: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What a request signature covers.
public struct SigningInput: Sendable {
    /// `GET`, `POST` …
    public var method: String
    /// The path as sent, without query (e.g. `/v5/{project}/vpn-connection`).
    public var path: String
    /// Query parameters, unencoded; repeated names allowed.
    public var query: [QueryItem]
    /// Headers that will be sent, including `Host` and `X-Sdk-Date`.
    public var headers: [(name: String, value: String)]
    /// The exact body bytes.
    public var body: [UInt8]

    public init(method: String, path: String, query: [QueryItem] = [], headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// Every intermediate of a signature, for tests and for debugging a mismatch.
public struct Signature: Sendable, Equatable {
    public var canonicalRequest: String
    public var stringToSign: String
    public var signedHeaders: String
    /// Lower-case hex HMAC-SHA256.
    public var signature: String
    /// The `Authorization` header value.
    public var authorization: String
}

/// Huawei Cloud's `SDK-HMAC-SHA256` request signing (the algorithm of `huaweicloudsdkcore`'s `Signer`).
public struct Signer: Sendable {
    /// The algorithm name in the Authorization header and string to sign.
    public static let algorithm = "SDK-HMAC-SHA256"
    /// SHA-256 of an empty body.
    public static let emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The access key id (not secret).
    public let accessKey: String
    private let secretKey: Secret

    /// Creates a signer for an AK/SK pair.
    public init(accessKey: String, secretKey: Secret) {
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    /// Signs `input`. Headers whose names contain `_` are not signed (as the SDK does).
    /// - Precondition: `input.headers` contains `X-Sdk-Date`.
    public func sign(_ input: SigningInput) -> Signature {
        var byName: [String: String] = [:]
        for (name, value) in input.headers {
            byName[name.lowercased()] = value.trimmingSpaces
        }
        let signed = byName.keys.filter { !$0.contains("_") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonicalHeaders = signed.map { "\($0):\(byName[$0]!)\n" }.joined()
        let signedHeaders = signed.joined(separator: ";")
        let payloadHash: String
        if let explicit = byName["x-sdk-content-sha256"], !input.body.isEmpty {
            payloadHash = explicit
        } else {
            payloadHash = input.body.isEmpty ? Self.emptyBodyHash : SHA256.hex(input.body)
        }
        let canonicalRequest = [
            input.method.uppercased(),
            Self.canonicalURI(input.path),
            Self.canonicalQuery(input.query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let date = byName["x-sdk-date"] ?? ""
        let stringToSign = "\(Self.algorithm)\n\(date)\n\(SHA256.hex(canonicalRequest))"
        let signature = Hex.encode(HMACSHA256.mac(key: Array(secretKey.revealed.utf8), message: Array(stringToSign.utf8)))
        return Signature(
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signedHeaders: signedHeaders,
            signature: signature,
            authorization: "\(Self.algorithm) Access=\(accessKey), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        )
    }

    /// The path percent-decoded once, each segment re-encoded (RFC 3986 unreserved kept), with a
    /// trailing `/`.
    public static func canonicalURI(_ path: String) -> String {
        let segments = percentDecode(path).split(separator: "/", omittingEmptySubsequences: false)
        let encoded = segments.map { encode(String($0)) }.joined(separator: "/")
        return encoded.hasSuffix("/") ? encoded : encoded + "/"
    }

    /// Pairs sorted by raw name, then raw value (by bytes), each encoded, joined with `&`. The
    /// client sends exactly this string as the URL's query, so signature and wire agree.
    public static func canonicalQuery(_ items: [QueryItem]) -> String {
        items.sorted {
            $0.name == $1.name ? $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
        }.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding: `A-Z a-z 0-9 - _ . ~` kept, every other UTF-8 byte as `%XX`.
    public static func encode(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes (invalid escapes are kept as they are).
    public static func percentDecode(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (the SDK's `strip()` on header values).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

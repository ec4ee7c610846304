import Foundation
import Testing
import VPNAPI
import VPNCrypto

/// The vectors were produced by Huawei's official Python SDK signer (huaweicloudsdkcore 3.1.219).
@Suite struct SignerTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let json: [String: JSONValueBox]
        var testDescription: String { json["name"]?.string ?? "?" }
    }

    /// A tiny wrapper so vectors can be test arguments.
    struct JSONValueBox: Sendable {
        let string: String?
        let array: [JSONValueBox]?
        let bool: Bool?
        let int: Int?

        init(_ any: Any) {
            string = any as? String
            array = (any as? [Any])?.map(JSONValueBox.init)
            bool = (any as? Bool).flatMap { b in (any is NSNumber && String(cString: (any as! NSNumber).objCType) == "c") ? b : nil }
            int = any as? Int
        }

        /// The SDK's stringification of a query value.
        var queryText: String {
            if let string { return string }
            if let bool { return bool ? "true" : "false" }
            if let int { return String(int) }
            return ""
        }
    }

    static let vectors: [Vector] = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("signer-vectors.json")
        let array = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [[String: Any]]
        return array.map { Vector(json: $0.mapValues(JSONValueBox.init)) }
    }()

    static func input(_ v: Vector) -> SigningInput {
        var query: [QueryItem] = []
        for pair in v.json["query_params_input"]!.array! {
            let name = pair.array![0].string!
            let value = pair.array![1]
            if let list = value.array {
                query += list.map { QueryItem(name, $0.queryText) }
            } else {
                query.append(QueryItem(name, value.queryText))
            }
        }
        let headers = v.json["headers_input"]!.array!.map { (name: $0.array![0].string!, value: $0.array![1].string!) }
        return SigningInput(method: v.json["method"]!.string!, path: v.json["resource_path"]!.string!, query: query,
                            headers: headers, body: Array(v.json["body_utf8"]!.string!.utf8))
    }

    @Test("all five official-SDK vectors, byte for byte", arguments: vectors)
    func vector(_ v: Vector) {
        let signer = Signer(accessKey: v.json["ak"]!.string!, secretKey: Secret(v.json["sk"]!.string!))
        let s = signer.sign(Self.input(v))
        #expect(s.canonicalRequest == v.json["expected_canonical_request"]!.string!)
        #expect(s.stringToSign == v.json["expected_string_to_sign"]!.string!)
        #expect(s.signature == v.json["expected_signature"]!.string!)
        #expect(s.authorization == v.json["expected_authorization"]!.string!)
    }

    @Test("the wire query is the canonical query", arguments: vectors)
    func wireQuery(_ v: Vector) {
        let expected = v.json["expected_url"]!.string!
        let query = Signer.canonicalQuery(Self.input(v).query)
        let wire = expected.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        #expect(query == wire)
    }

    @Test("there are five vectors")
    func count() { #expect(Self.vectors.count == 5) }

    @Test("percent-encoding keeps exactly the unreserved set")
    func encoding() {
        #expect(Signer.encode("a b/c+d=e&f~g") == "a%20b%2Fc%2Bd%3De%26f~g")
        #expect(Signer.encode("é") == "%C3%A9")
        #expect(Signer.canonicalURI("/v5/p/vpn%20connection") == "/v5/p/vpn%20connection/")
        #expect(Signer.canonicalURI("/") == "/")
    }

    @Test("the secret key never shows in a description")
    func redaction() {
        let signer = Signer(accessKey: "AK", secretKey: Secret("very-secret-key"))
        #expect(!"\(signer)".contains("very-secret-key"))
        #expect(!String(reflecting: signer).contains("very-secret-key"))
    }
}

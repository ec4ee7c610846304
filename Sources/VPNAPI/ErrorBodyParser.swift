import Foundation

/// Reads an error answer the way Huawei's SDK does: `error_code`+`error_msg`, then
/// `errorCode`+`errorMsg`, then `code`+`message`, then the same inside any nested object.
enum ErrorBodyParser {
    static func parse(status: Int, body: [UInt8], headers: [String: String]) -> APIErrorBody {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        var code: String?, message: String?
        if let object { (code, message) = find(in: object) }
        let requestID = headers["x-request-id"] ?? (object?["request_id"] as? String)
        let raw = String(decoding: body.prefix(2000), as: UTF8.self)
        return APIErrorBody(status: status, code: code ?? String(status), message: message ?? raw,
                            requestID: requestID, retryAfter: headers["retry-after"].flatMap(retryAfterSeconds))
    }

    private static let keyPairs = [("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")]

    private static func find(in object: [String: Any]) -> (String?, String?) {
        for (c, m) in keyPairs {
            if let code = object[c] as? String { return (code, object[m] as? String) }
        }
        for value in object.values {
            if let nested = value as? [String: Any] {
                let found = find(in: nested)
                if found.0 != nil { return found }
            }
        }
        return (nil, nil)
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func retryAfterSeconds(_ value: String) -> Double? {
        if let seconds = Double(value.trimmingSpaces), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }
}

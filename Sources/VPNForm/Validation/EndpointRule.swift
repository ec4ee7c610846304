import Foundation

/// Rules of an endpoint URL: the file's `endpoint` and `apply --endpoint`.
public enum EndpointRule {
    /// `nil` when `text` is an acceptable endpoint, else the problem.
    public static func problem(_ text: String) -> String? {
        if !text.contains("://") {
            return "the scheme is missing: write https://\(NodeDecoder.clip(text)) (plain http:// only to a loopback address)"
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return "expected a URL such as https://vpn.cn-north-4.myhuaweicloud.com, got \"\(NodeDecoder.clip(text))\""
        }
        if url.query != nil || !(url.path.isEmpty || url.path == "/") {
            return "expected a base URL without path or query, got \"\(NodeDecoder.clip(text))\""
        }
        switch scheme {
        case "https": return nil
        case "http" where LoopbackHost.isLoopback(host): return nil
        case "http": return "plain http is allowed only to a loopback host (127.0.0.0/8, localhost, ::1); use https"
        default: return "expected an https URL, got scheme \"\(scheme)\""
        }
    }
}

/// Whether a host name is on this machine: signed requests may go over plain http only there.
public enum LoopbackHost {
    /// `localhost`, `127.0.0.0/8` or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if h == "localhost" || h == "::1" { return true }
        if let a = IPv4Address(h) { return a.value >> 24 == 127 }
        return false
    }
}

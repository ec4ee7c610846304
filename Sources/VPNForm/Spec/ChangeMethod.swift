/// How a change of one spec attribute reaches the API (`huawei-vpn-api.md` §2).
public enum ChangeMethod: String, Sendable, Equatable {
    /// `PUT /v5/{project_id}/vpn-connection/{id}` changes it on the running connection.
    case inPlace = "in-place"
    /// The tag API changes it on the running connection.
    case tagAPI = "tag-api"
    /// The API cannot change it: the connection is deleted and created again.
    case replacement

    /// The method for a spec attribute (`style`, `connections[1].vgw_ip`, `ikepolicy.dh_group` …).
    public static func of(_ attribute: String) -> ChangeMethod {
        if attribute == "tags" { return .tagAPI }
        let field: Substring
        if attribute.hasPrefix("connections["), let dot = attribute.firstIndex(of: "]") {
            field = attribute[attribute.index(dot, offsetBy: 2)...]
        } else {
            field = Substring(attribute)
        }
        return replacementFields.contains(String(field)) ? .replacement : .inPlace
    }

    /// Attributes the update API refuses: a change of one replaces the pair.
    static let replacementFields: Set<String> = [
        "style", "gateway_id", "vgw_ip", "ha_role", "enable_nqa", "ikepolicy.authentication_method",
    ]
}

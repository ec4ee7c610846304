/// How a change of one spec attribute reaches the API (`huawei-vpn-api.md` §2).
public enum ChangeMethod: String, Sendable, Equatable {
    /// `PUT /v5/{project_id}/vpn-connection/{id}` changes it on the running connection.
    case inPlace = "in-place"
    /// The tag API changes it on the running connection.
    case tagAPI = "tag-api"
    /// The API cannot change it: the connection is deleted and created again.
    case replacement

    /// The method for a spec attribute (`style`, `connections[1].vgw_ip`, `ikepolicy.dh_group` …),
    /// from ``AttributeTable``; an attribute the table does not know is replaced, to be safe.
    public static func of(_ attribute: String) -> ChangeMethod {
        AttributeTable.attribute(forSpecKey: attribute)?.change ?? .replacement
    }
}

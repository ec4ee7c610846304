/// Where a state's pairs live: the project and the region (or explicit endpoint) an apply wrote
/// them to. A plan or apply against another target is refused, so a state is never compared with,
/// or applied to, a cloud it does not describe.
public struct CloudTarget: Sendable, Equatable, CustomStringConvertible {
    /// The project id.
    public var projectID: String
    /// The region, when the endpoint was derived from it.
    public var region: String?
    /// The endpoint, when one was named explicitly (the file's `endpoint` or `--endpoint`).
    public var endpoint: String?

    public init(projectID: String, region: String?, endpoint: String?) {
        self.projectID = projectID
        self.region = region
        self.endpoint = endpoint
    }

    /// `project 0123…, region cn-north-4` (or `endpoint https://…`).
    public var description: String {
        var text = "project \(projectID)"
        if let endpoint { text += ", endpoint \(endpoint)" } else if let region { text += ", region \(region)" }
        return text
    }

    /// Whether `other` names the same place: the same project, and the same endpoint or region
    /// wherever both name one.
    public func matches(_ other: CloudTarget) -> Bool {
        guard projectID == other.projectID else { return false }
        if let a = endpoint, let b = other.endpoint { return a == b }
        if endpoint != nil || other.endpoint != nil { return endpoint == other.endpoint || region == other.region }
        if let a = region, let b = other.region { return a == b }
        return true
    }
}

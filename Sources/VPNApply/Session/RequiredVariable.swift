import VPNForm

/// The environment variables an apply of a plan reads, and whether each is set: what
/// `vpnform plan --check-env` reports, so that a missing secret is caught before the apply.
/// It says which variables are set, never what they hold.
public struct RequiredVariable: Equatable, Sendable {
    /// The variable, or the first of the names that serve (`HUAWEICLOUD_SDK_AK`).
    public var name: String
    /// Other names that serve instead (`HW_ACCESS_KEY`).
    public var alternatives: [String]
    /// What apply uses it for.
    public var purpose: String
    /// Whether it (or an alternative) is set to a non-empty value.
    public var isSet: Bool

    /// A variable apply reads.
    public init(name: String, alternatives: [String] = [], purpose: String, isSet: Bool) {
        self.name = name
        self.alternatives = alternatives
        self.purpose = purpose
        self.isSet = isSet
    }

    /// What an apply of `plan` needs from `environment`, in the order ``ApplySession/open(_:)``
    /// reads it: credentials, the project id (when the file has none), then one pre-shared key
    /// variable per `${NAME}` of a pair it creates or recovers. Nothing when it creates nothing.
    public static func list(for plan: Plan, desired: DesiredState, environment: [String: String]) -> [RequiredVariable]
    {
        let work = Set(plan.entries.filter(\.needsKey).map(\.address))
        guard !work.isEmpty else { return [] }
        func set(_ names: [String]) -> Bool { names.contains { !(environment[$0] ?? "").isEmpty } }
        var list = [
            RequiredVariable(
                name: "HUAWEICLOUD_SDK_AK", alternatives: ["HW_ACCESS_KEY"], purpose: "access key",
                isSet: set(["HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"])),
            RequiredVariable(
                name: "HUAWEICLOUD_SDK_SK", alternatives: ["HW_SECRET_KEY"], purpose: "secret key",
                isSet: set(["HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY"])),
        ]
        if desired.projectID == nil {
            list.append(
                RequiredVariable(
                    name: "HUAWEICLOUD_SDK_PROJECT_ID", alternatives: ["HW_PROJECT_ID"],
                    purpose: "project id (the file has no project_id)",
                    isSet: set(["HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID"])))
        }
        var keys: [String: [String]] = [:]
        for gateway in desired.gateways {
            for connection in gateway.connections where work.contains(gateway.address(of: connection)) {
                if case .environment(let name)? = connection.spec.psk?.value {
                    keys[name, default: []].append(gateway.address(of: connection).rawValue)
                }
            }
        }
        for name in keys.keys.sorted() {
            let pairs = keys[name]!
            list.append(
                RequiredVariable(
                    name: name,
                    purpose: "pre-shared key of \(pairs.prefix(3).joined(separator: ", "))"
                        + (pairs.count > 3 ? " and \(pairs.count - 3) more" : ""), isSet: set([name])))
        }
        return list
    }
}

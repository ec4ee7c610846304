import VPNCrypto

/// AK/SK credentials, from the environment as Huawei's SDK reads them.
public struct Credentials: Sendable, CustomStringConvertible {
    /// The access key id.
    public var accessKey: String
    /// The secret access key.
    public var secretKey: Secret
    /// The security token of temporary credentials, sent as `X-Security-Token`.
    public var securityToken: Secret?

    public init(accessKey: String, secretKey: Secret, securityToken: Secret? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.securityToken = securityToken
    }

    /// `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK` (and `HUAWEICLOUD_SDK_SECURITY_TOKEN`), falling back to
    /// `HW_ACCESS_KEY` / `HW_SECRET_KEY` (and `HW_SECURITY_TOKEN`); `nil` when either key is missing.
    public static func fromEnvironment(_ env: [String: String]) -> Credentials? {
        func value(_ names: String...) -> String? { names.lazy.compactMap { env[$0] }.first { !$0.isEmpty } }
        guard let ak = value("HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"), let sk = value("HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY") else { return nil }
        let credentials = Credentials(accessKey: ak, secretKey: Secret(sk),
                                      securityToken: value("HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN").map(Secret.init))
        SecretCanary.register(credentials.secretKey)
        if let token = credentials.securityToken { SecretCanary.register(token) }
        return credentials
    }

    public var description: String { "Credentials(AK \(accessKey), SK (redacted)\(securityToken == nil ? "" : ", token (redacted)"))" }
}

/// Every setting of a connection that `defaults` may also set. All optional: a connection's
/// effective settings are its own fields merged over `defaults` (see ``merged(over:)``).
public struct ConnectionFields: Sendable, Equatable {
    public var cgwID: Located<CustomerGatewayID>?
    public var style: Located<ConnectionStyle>?
    public var peerSubnets: Located<[Located<String>]>?
    public var tunnelLocalAddress: Located<String>?
    public var tunnelPeerAddress: Located<String>?
    public var enableNQA: Located<Bool>?
    public var enableHub: Located<Bool>?
    public var psk: Located<SecretReference>?
    public var policyRules: Located<[PolicyRule]>?
    public var ikePolicy: IKEPolicy?
    public var ipsecPolicy: IPsecPolicy?
    public var haRole: Located<HARole>?
    public var tags: Located<[Tag]>?
    /// Keys that were written but could not be read (already reported): rules that depend on them
    /// are skipped rather than reporting the key as missing.
    public var unreadable: Set<String> = []

    public init() {}

    /// The style in force: the one set, or the API's default `static`.
    public var effectiveStyle: ConnectionStyle { style?.value ?? .static }

    /// This connection's own fields, falling back to `base` (the file's `defaults`) field by field;
    /// `ikepolicy`, `ipsecpolicy` and `dpd` merge key by key.
    public func merged(over base: ConnectionFields) -> ConnectionFields {
        var m = self
        m.cgwID = cgwID ?? base.cgwID
        m.style = style ?? base.style
        m.peerSubnets = peerSubnets ?? base.peerSubnets
        m.tunnelLocalAddress = tunnelLocalAddress ?? base.tunnelLocalAddress
        m.tunnelPeerAddress = tunnelPeerAddress ?? base.tunnelPeerAddress
        m.enableNQA = enableNQA ?? base.enableNQA
        m.enableHub = enableHub ?? base.enableHub
        m.psk = psk ?? base.psk
        m.policyRules = policyRules ?? base.policyRules
        m.haRole = haRole ?? base.haRole
        m.tags = tags ?? base.tags
        m.unreadable = unreadable.union(base.unreadable)
        switch (ikePolicy, base.ikePolicy) {
        case let (own?, inherited?): m.ikePolicy = own.merged(over: inherited)
        default: m.ikePolicy = ikePolicy ?? base.ikePolicy
        }
        switch (ipsecPolicy, base.ipsecPolicy) {
        case let (own?, inherited?): m.ipsecPolicy = own.merged(over: inherited)
        default: m.ipsecPolicy = ipsecPolicy ?? base.ipsecPolicy
        }
        return m
    }
}

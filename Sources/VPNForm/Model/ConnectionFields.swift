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
    public var ikePolicy: IKEPolicy? {
        get { ikePolicyStorage?.value }
        set { ikePolicyStorage = newValue.map(Shared.init) }
    }
    public var ipsecPolicy: IPsecPolicy? {
        get { ipsecPolicyStorage?.value }
        set { ipsecPolicyStorage = newValue.map(Shared.init) }
    }
    public var haRole: Located<HARole>?
    public var tags: Located<[Tag]>?
    /// Keys that were written but could not be read (already reported): rules that depend on them
    /// are skipped rather than reporting the key as missing.
    public var unreadable: Set<String> = []
    /// The policies by reference: inline they were most of the size of every connection's fields
    /// and spec, and a policy inherited unchanged from `defaults` is now shared, not copied.
    private var ikePolicyStorage: Shared<IKEPolicy>?
    private var ipsecPolicyStorage: Shared<IPsecPolicy>?

    public init() {}

    /// The policies' boxes, for a reader that need not copy a policy out (the spec writer).
    var ikePolicyBox: Shared<IKEPolicy>? { ikePolicyStorage }
    var ipsecPolicyBox: Shared<IPsecPolicy>? { ipsecPolicyStorage }

    /// The style in force: the one set, or the API's default `static`.
    public var effectiveStyle: ConnectionStyle { style?.value ?? .static }

    /// This connection's own fields, falling back to `base` (the file's `defaults`) field by field;
    /// `ikepolicy`, `ipsecpolicy` and `dpd` merge key by key. Every attribute `defaults` may set
    /// (``AttributeTable/defaultsKeys``) is merged (`ConnectionFieldsMergeTests` holds the two together).
    public func merged(over base: ConnectionFields) -> ConnectionFields {
        var m = self
        m.merge(over: base)
        return m
    }

    /// Fills the attributes unset here from `base`, in place (see ``merged(over:)``), written out
    /// attribute by attribute: through a table of closures, each cost a call through a thunk.
    mutating func merge(over base: ConnectionFields) {
        if cgwID == nil, let v = base.cgwID { cgwID = v }
        if style == nil, let v = base.style { style = v }
        if peerSubnets == nil, let v = base.peerSubnets { peerSubnets = v }
        if tunnelLocalAddress == nil, let v = base.tunnelLocalAddress { tunnelLocalAddress = v }
        if tunnelPeerAddress == nil, let v = base.tunnelPeerAddress { tunnelPeerAddress = v }
        if enableNQA == nil, let v = base.enableNQA { enableNQA = v }
        if enableHub == nil, let v = base.enableHub { enableHub = v }
        if psk == nil, let v = base.psk { psk = v }
        if policyRules == nil, let v = base.policyRules { policyRules = v }
        if let inherited = base.ikePolicyStorage {
            if let own = ikePolicyStorage {
                ikePolicyStorage = Shared(own.value.merged(over: inherited.value))
            } else {
                ikePolicyStorage = inherited
            }
        }
        if let inherited = base.ipsecPolicyStorage {
            if let own = ipsecPolicyStorage {
                ipsecPolicyStorage = Shared(own.value.merged(over: inherited.value))
            } else {
                ipsecPolicyStorage = inherited
            }
        }
        if haRole == nil, let v = base.haRole { haRole = v }
        if tags == nil, let v = base.tags { tags = v }
        if !base.unreadable.isEmpty { unreadable.formUnion(base.unreadable) }
    }
}

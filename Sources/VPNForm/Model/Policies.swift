/// Dead peer detection settings of an IKE policy. Unset fields take the server's defaults.
public struct DPD: Sendable, Equatable {
    public var timeout: Located<Int>?
    public var interval: Located<Int>?
    public var msg: Located<DPDMessageOrder>?

    public init(timeout: Located<Int>? = nil, interval: Located<Int>? = nil, msg: Located<DPDMessageOrder>? = nil) {
        self.timeout = timeout
        self.interval = interval
        self.msg = msg
    }

    /// Each field of `self`, or of `base` where `self` leaves it unset.
    public func merged(over base: DPD) -> DPD {
        DPD(timeout: timeout ?? base.timeout, interval: interval ?? base.interval, msg: msg ?? base.msg)
    }
}

/// An IKE (phase 1) policy. Unset fields take the server's defaults.
public struct IKEPolicy: Sendable, Equatable {
    public var ikeVersion: Located<IKEVersion>?
    public var phase1NegotiationMode: Located<Phase1NegotiationMode>?
    public var authenticationAlgorithm: Located<AuthenticationAlgorithm>?
    public var encryptionAlgorithm: Located<EncryptionAlgorithm>?
    public var dhGroup: Located<DHGroup>?
    public var authenticationMethod: Located<IKEAuthenticationMethod>?
    public var lifetimeSeconds: Located<Int>?
    public var localIDType: Located<IdentityType>?
    public var localID: Located<String>?
    public var peerIDType: Located<IdentityType>?
    public var peerID: Located<String>?
    public var dpd: DPD?

    public init() {}

    /// Each field of `self`, or of `base` where `self` leaves it unset; `dpd` merges key by key.
    public func merged(over base: IKEPolicy) -> IKEPolicy {
        var m = self
        m.ikeVersion = ikeVersion ?? base.ikeVersion
        m.phase1NegotiationMode = phase1NegotiationMode ?? base.phase1NegotiationMode
        m.authenticationAlgorithm = authenticationAlgorithm ?? base.authenticationAlgorithm
        m.encryptionAlgorithm = encryptionAlgorithm ?? base.encryptionAlgorithm
        m.dhGroup = dhGroup ?? base.dhGroup
        m.authenticationMethod = authenticationMethod ?? base.authenticationMethod
        m.lifetimeSeconds = lifetimeSeconds ?? base.lifetimeSeconds
        m.localIDType = localIDType ?? base.localIDType
        m.localID = localID ?? base.localID
        m.peerIDType = peerIDType ?? base.peerIDType
        m.peerID = peerID ?? base.peerID
        switch (dpd, base.dpd) {
        case let (own?, inherited?): m.dpd = own.merged(over: inherited)
        default: m.dpd = dpd ?? base.dpd
        }
        return m
    }
}

/// An IPsec (phase 2) policy. Unset fields take the server's defaults.
public struct IPsecPolicy: Sendable, Equatable {
    public var authenticationAlgorithm: Located<AuthenticationAlgorithm>?
    public var encryptionAlgorithm: Located<EncryptionAlgorithm>?
    public var pfs: Located<PFSGroup>?
    public var transformProtocol: Located<TransformProtocol>?
    public var lifetimeSeconds: Located<Int>?
    public var encapsulationMode: Located<EncapsulationMode>?

    public init() {}

    /// Each field of `self`, or of `base` where `self` leaves it unset.
    public func merged(over base: IPsecPolicy) -> IPsecPolicy {
        var m = self
        m.authenticationAlgorithm = authenticationAlgorithm ?? base.authenticationAlgorithm
        m.encryptionAlgorithm = encryptionAlgorithm ?? base.encryptionAlgorithm
        m.pfs = pfs ?? base.pfs
        m.transformProtocol = transformProtocol ?? base.transformProtocol
        m.lifetimeSeconds = lifetimeSeconds ?? base.lifetimeSeconds
        m.encapsulationMode = encapsulationMode ?? base.encapsulationMode
        return m
    }
}

/// A policy-based connection's rule: local `source` CIDR to peer `destination` CIDRs.
public struct PolicyRule: Sendable, Equatable {
    public var source: Located<String>?
    public var destination: Located<[Located<String>]>?
    /// Where the rule starts in the file.
    public var mark: Mark

    public init(source: Located<String>?, destination: Located<[Located<String>]>?, mark: Mark) {
        self.source = source
        self.destination = destination
        self.mark = mark
    }
}

/// A resource tag, sent as `{"key": …, "value": …}`.
public struct Tag: Sendable, Equatable {
    public var key: Located<String>
    public var value: Located<String>

    public init(key: Located<String>, value: Located<String>) {
        self.key = key
        self.value = value
    }
}

/// Per-IP settings of a connection: entry i applies to the connection on the gateway's i-th IP.
public struct Tunnel: Sendable, Equatable {
    public var name: Located<String>?
    public var tunnelLocalAddress: Located<String>?
    public var tunnelPeerAddress: Located<String>?
    public var haRole: Located<HARole>?
    /// Where the entry starts in the file.
    public var mark: Mark

    public init(mark: Mark) { self.mark = mark }
}

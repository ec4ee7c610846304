/// Something the live API shows that the state does not: reported in its own section of a plan
/// ("changed outside vpnform"), never mixed into the list of changes.
public struct Drift: Sendable, Equatable {
    /// What differs.
    public enum Kind: Sendable, Equatable {
        /// Connections the state records that the API no longer has: apply creates them again.
        case deleted([ConnectionRecord])
        /// Attributes changed outside vpnform: `old` is the state's value, `new` the live one.
        case changed([AttributeChange])
        /// Connections not in the state that carry a desired pair's names on its gateway: apply
        /// adopts them instead of creating new ones.
        case adoptable([LiveConnection])
        /// A connection on a managed gateway that no pair claims.
        case unmanaged(LiveConnection)
    }

    /// The pair concerned; for an unmanaged connection, the address `vpnform import` would give it.
    public var address: PairAddress?
    public var kind: Kind

    public init(address: PairAddress?, kind: Kind) {
        self.address = address
        self.kind = kind
    }

    /// `deleted`, `changed`, `adoptable` or `unmanaged`: the JSON plan's `kind`.
    public var kindName: String {
        switch kind {
        case .deleted: return "deleted"
        case .changed: return "changed"
        case .adoptable: return "adoptable"
        case .unmanaged: return "unmanaged"
        }
    }

    /// The gateway id of an unmanaged connection (what `vpnform import --gateway` takes).
    public var unmanagedGateway: GatewayID? {
        if case .unmanaged(let c) = kind { return c.gatewayID } else { return nil }
    }
}

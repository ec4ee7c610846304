/// A typed identifier (the idea of pointfreeco's `Tagged`): a `GatewayID` cannot be passed where
/// a `CustomerGatewayID` is expected, though both are strings underneath.
public struct Identifier<Kind>: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Kinds of ``Identifier``.
public enum IdentifierKind {
    public enum Gateway {}
    public enum CustomerGateway {}
    public enum Connection {}
    public enum Pair {}
}

/// The id of a VPN gateway (`vgw_id`), a UUID.
public typealias GatewayID = Identifier<IdentifierKind.Gateway>
/// The id of a customer gateway (`cgw_id`), a UUID.
public typealias CustomerGatewayID = Identifier<IdentifierKind.CustomerGateway>
/// The id of a VPN connection as the API returns it.
public typealias ConnectionID = Identifier<IdentifierKind.Connection>
/// The address of a pair, `GATEWAY/CONNECTION`: how plans, state and progress lines name it.
public typealias PairAddress = Identifier<IdentifierKind.Pair>

extension Identifier where Kind == IdentifierKind.Pair {
    /// The address of a gateway's connection.
    public init(gateway: String, connection: String) { self.init("\(gateway)/\(connection)") }

    /// The gateway handle: the part before `/`.
    public var gateway: String { String(rawValue.prefix { $0 != "/" }) }

    /// The connection handle: the part after `/`.
    public var connection: String { rawValue.firstIndex(of: "/").map { String(rawValue[rawValue.index(after: $0)...]) } ?? "" }
}

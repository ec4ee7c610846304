/// An immutable value held by reference, so that copies of the struct holding it share one copy.
///
/// For large, mostly absent or inherited parts of a model (a connection's IKE and IPsec policies):
/// an `Optional<Shared<…>>` is one word where the value inline is hundreds of bytes in every
/// connection's fields and again in its spec.
final class Shared<Value: Sendable & Equatable>: Sendable, Equatable {
    let value: Value

    init(_ value: Value) { self.value = value }

    static func == (lhs: Shared, rhs: Shared) -> Bool { lhs === rhs || lhs.value == rhs.value }
}

@_exported import struct LocatedYAML.Mark

/// A value together with the place in the desired-state file it came from.
public struct Located<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Where it was written (for a value inherited from `defaults`, the place in `defaults`).
    public var mark: Mark

    /// Creates a located value.
    public init(_ value: Value, at mark: Mark) {
        self.value = value
        self.mark = mark
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

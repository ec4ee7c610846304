/// A rename of a pair address (`hq/shanghai` → `hq/sh`) or of a gateway handle (`hq` → `head-office`,
/// all its pairs): a `moved:` entry of the desired file, or `vpnform state mv`. The state's record
/// follows the new name; nothing is deleted or created (new API names are an update in place).
public struct Move: Sendable, Equatable {
    /// The old address or gateway name.
    public var from: String
    /// The new one.
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// The address `address` has after the move, or `nil` when the move does not concern it.
    public func moved(_ address: PairAddress) -> PairAddress? {
        if address.rawValue == from { return PairAddress(rawValue: to) }
        if address.rawValue.hasPrefix(from + "/") {
            return PairAddress(rawValue: to + address.rawValue.dropFirst(from.count))
        }
        return nil
    }
}

extension StateFile {
    /// The state with `moves` applied in order. A move whose new address is taken already, or that
    /// concerns no pair, is skipped (it was carried out by an earlier apply): `moved:` entries can
    /// stay in the file.
    /// - Returns: The state and the (old, new) addresses that moved.
    public func applying(_ moves: [Move]) -> (state: StateFile, moved: [(from: PairAddress, to: PairAddress)]) {
        var state = self
        var done: [(from: PairAddress, to: PairAddress)] = []
        for move in moves {
            let affected = state.pairs.keys.compactMap { a in move.moved(a).map { (a, $0) } }
            guard !affected.isEmpty, !affected.contains(where: { state.pairs[$0.1] != nil }) else { continue }
            for (old, new) in affected {
                state.pairs[new] = state.pairs[old]
                state.pairs[old] = nil
                done.append((old, new))
            }
        }
        return (state, done)
    }
}

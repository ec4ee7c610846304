extension PairState {
    /// A pair whose batch-create is about to be sent, with the names apply looks for if its answer is lost.
    public static func pending(_ pair: DesiredPair) -> PairState {
        PairState(gatewayID: pair.gatewayID, cgwID: pair.cgwID, connections: pair.connections,
                  spec: pair.spec, status: .pending)
    }

    /// A pair whose connections exist, with the ids the API returned.
    public static func created(_ pair: DesiredPair, connections: [ConnectionRecord]) -> PairState {
        PairState(gatewayID: pair.gatewayID, cgwID: pair.cgwID, connections: connections,
                  spec: pair.spec, status: .created)
    }
}

extension StateFile {
    /// Records that a batch-create for `pair` is about to be sent: status `pending`, with the
    /// connection names apply will look for if the answer is lost.
    public mutating func recordPending(_ address: PairAddress, _ pair: DesiredPair) {
        pairs[address] = .pending(pair)
    }

    /// Records a pair whose connections exist, with the IDs the API returned.
    /// - Parameter connections: One record per gateway IP, each with its id.
    public mutating func recordCreated(_ address: PairAddress, _ pair: DesiredPair, connections: [ConnectionRecord]) {
        pairs[address] = .created(pair, connections: connections)
    }
}

extension StateFile {
    /// Records that a batch-create for `pair` is about to be sent: status `pending`, with the
    /// connection names apply will look for if the answer is lost.
    public mutating func recordPending(_ address: PairAddress, _ pair: DesiredPair) {
        pairs[address] = PairState(gatewayID: pair.gatewayID, cgwID: pair.cgwID, connections: pair.connections,
                                   specDigest: pair.digest, spec: pair.spec, status: .pending)
    }

    /// Records a pair whose connections exist, with the IDs the API returned.
    /// - Parameter connections: One record per gateway IP, each with its id.
    public mutating func recordCreated(_ address: PairAddress, _ pair: DesiredPair, connections: [ConnectionRecord]) {
        pairs[address] = PairState(gatewayID: pair.gatewayID, cgwID: pair.cgwID, connections: connections,
                                   specDigest: pair.digest, spec: pair.spec, status: .created)
    }
}

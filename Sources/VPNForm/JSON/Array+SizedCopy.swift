extension Array {
    /// A copy in storage of its own, no larger than it needs. (`Array(self)` would share this
    /// array's storage, with whatever spare capacity a reused buffer has grown, and make the
    /// buffer's next write copy it.)
    func sizedCopy() -> [Element] {
        withUnsafeBufferPointer { source in
            [Element](unsafeUninitializedCapacity: source.count) { target, count in
                if let from = source.baseAddress, let to = target.baseAddress {
                    to.initialize(from: from, count: source.count)
                }
                count = source.count
            }
        }
    }
}

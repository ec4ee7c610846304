/// A three-way merge of state files by pair, for use as a git merge driver: pairs added or changed
/// on one side are taken; a pair changed differently on both sides is a conflict.
public enum StateMerge {
    /// The outcome of a merge.
    public enum Outcome: Equatable, Sendable {
        /// The merged state.
        case merged(StateFile)
        /// Pairs both sides changed differently (or different lineages); nothing was merged.
        case conflict([String])
    }

    /// Merges `ours` and `theirs`, which both descend from `base` (`nil` when the file is new on both sides).
    public static func merge(base: StateFile?, ours: StateFile, theirs: StateFile) -> Outcome {
        guard ours.lineage == theirs.lineage else {
            return .conflict(["lineage: \(ours.lineage) (ours) vs \(theirs.lineage) (theirs): these are different states"])
        }
        var merged = ours
        var conflicts: [String] = []
        switch (ours.cloud, theirs.cloud) {
        case let (o?, t?) where o != t: conflicts.append("cloud: \(o) (ours) vs \(t) (theirs)")
        case (nil, let t?): merged.cloud = t
        default: break
        }
        var addresses = Set(ours.pairs.keys).union(theirs.pairs.keys)
        if let base { addresses.formUnion(base.pairs.keys) }
        for address in addresses {
            let b = base?.pairs[address], o = ours.pairs[address], t = theirs.pairs[address]
            if o == t { continue }
            if o == b { merged.pairs[address] = t; continue }
            if t == b { continue }
            conflicts.append("\(address): changed on both sides")
        }
        return conflicts.isEmpty ? .merged(merged) : .conflict(conflicts.sorted())
    }
}

import Foundation

/// Diffs the desired state against the state file. Pure and O(n) in pairs.
///
/// A created pair whose spec differs is updated in place when every differing attribute can be
/// (``ChangeMethod``), replaced otherwise; a pair in the state but not the file is deleted.
public enum Planner {
    /// The plan that brings `state` (refreshed with `live`, when given) to `desired`.
    /// - Parameters:
    ///   - desired: A valid desired state.
    ///   - state: The state file's contents.
    ///   - live: What the API showed of the gateways concerned; `nil` for an offline plan.
    ///
    /// The desired file's `moved:` entries are applied to the state first.
    public static func plan(desired: DesiredState, state: StateFile, live: LiveView? = nil) -> Plan {
        let (state, moved) = state.applying(desired.moved)
        var result: Plan
        if let live {
            result = plan(desired: desired, refresh: Refresh(state: state, live: live, desired: desired))
        } else {
            result = diff(desired: desired, state: state)
        }
        result.moved = moved.map { Move(from: $0.from.rawValue, to: $0.to.rawValue) }
        return result
    }

    /// The plan that brings a refreshed state to `desired`, with the refresh's drift and statuses.
    public static func plan(desired: DesiredState, refresh: Refresh) -> Plan {
        var plan = diff(desired: desired, state: refresh.state)
        for i in plan.entries.indices { plan.entries[i].liveStatus = refresh.statuses[plan.entries[i].address] }
        plan.drift = refresh.drift
        plan.refreshed = true
        return plan
    }

    static func diff(desired: DesiredState, state: StateFile, parallelMinimum: Int = parallelMinimum) -> Plan {
        let gateways = desired.gateways
        // Each desired pair's spec is written (the bulk of the planner's work) on two threads, each
        // taking the gateways that hold about half of the pairs.
        var split = 0, pairs = 0
        let half = desired.pairCount / 2
        while split < gateways.count && pairs < half {
            pairs += gateways[split].connections.count
            split += 1
        }
        // One array with room for every entry: the second half is appended to the first in place.
        let capacity = max(desired.pairCount, state.pairs.count)
        var entries: [PlanEntry]
        if desired.pairCount >= parallelMinimum && split > 0 {
            let secondHalf = gateways[split...]
            let (first, second) = concurrently(
                { desiredEntries(of: gateways[..<split], state: state, capacity: capacity) },
                { desiredEntries(of: secondHalf, state: state, capacity: 0) })
            entries = first
            entries.append(contentsOf: second)
        } else {
            entries = Self.desiredEntries(of: gateways[...], state: state, capacity: capacity)
        }
        // The state's pairs that no desired pair matched are deletes.
        if !state.pairs.isEmpty {
            var seen = Set<PairAddress>()
            seen.reserveCapacity(entries.count)
            for i in entries.indices { seen.insert(entries[i].address) }
            for (address, have) in state.pairs where !seen.contains(address) {
                entries.append(PlanEntry(address: address, action: .delete, desired: nil, current: have))
            }
        }
        sortByAddress(&entries)
        return Plan(entries: entries)
    }

    /// From this many desired pairs on, their specs are written on two threads.
    static let parallelMinimum = 2_000

    /// The entries of the desired pairs of `gateways`, in file order (no deletes).
    /// - Parameter capacity: Room for at least this many entries (the caller appends others).
    private static func desiredEntries(of gateways: ArraySlice<Gateway>, state: StateFile,
                                       capacity: Int) -> [PlanEntry] {
        var entries: [PlanEntry] = []
        entries.reserveCapacity(max(capacity, gateways.reduce(0) { $0 + $1.connections.count }))
        // Each desired spec is written into one reused buffer and kept only when it differs from
        // the state's: an unchanged pair shares the state's bytes.
        var scratch = CanonicalObject()
        for g in gateways.indices {
            let gateway = gateways[g]
            for c in gateway.connections.indices {
                let connection = gateway.connections[c]
                let address = gateway.address(of: connection)
                let current = state.pairs[address]
                let want = DesiredPair(gateway: gateway, connection: connection, current: current?.spec,
                                       scratch: &scratch)
                entries.append(entry(address, want, current))
            }
        }
        return entries
    }

    /// What to do with the desired pair `want` at `address`, given what the state holds of it.
    private static func entry(_ address: PairAddress, _ want: DesiredPair, _ current: PairState?) -> PlanEntry {
        guard let have = current else {
            return PlanEntry(address: address, action: .create, desired: want, current: nil)
        }
        switch have.status {
        case .pending:
            return PlanEntry(address: address, action: .recover, desired: want, current: have)
        case .deleting:
            // An interrupted delete (or replace) of a pair that is desired: finish it, create again.
            var entry = PlanEntry(address: address, action: .replace, desired: want, current: have,
                                  changes: have.spec.changes(to: want.spec))
            entry.replacedBy = ["(interrupted delete)"]
            return entry
        // Equal canonical specs are equal digests (readers check that a state's spec has
        // its digest), and comparing bytes spares hashing every desired pair.
        case .created where have.spec == want.spec:
            return PlanEntry(address: address, action: .noop, desired: want, current: have)
        case .created, .updating:
            // An interrupted update is sent again (PUT sets values), even when nothing differs.
            let changes = have.spec.changes(to: want.spec)
            let forcing = changes.map(\.attribute).filter { ChangeMethod.of($0) == .replacement }
            var entry = PlanEntry(address: address, action: forcing.isEmpty ? .update : .replace, desired: want,
                                  current: have, changes: changes)
            entry.replacedBy = forcing
            return entry
        }
    }

    /// Puts `entries` in address order: the order is found on the addresses alone and the entries,
    /// large values, are swapped in place (sorting a copy would hold two arrays of them at once).
    /// Addresses are compared by their first 16 bytes as two integers, and by all their bytes only
    /// when those are equal.
    private static func sortByAddress(_ entries: inout [PlanEntry]) {
        var addresses: [PairAddress] = []
        var keys: [AddressKey] = []
        addresses.reserveCapacity(entries.count)
        keys.reserveCapacity(entries.count)
        for i in entries.indices {
            addresses.append(entries[i].address)
            keys.append(AddressKey(addresses[i], index: i))
        }
        func precedes(_ a: AddressKey, _ b: AddressKey) -> Bool {
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return addresses[a.index].rawValue.precedesByBytes(addresses[b.index].rawValue)
        }
        if keys.indices.dropFirst().allSatisfy({ precedes(keys[$0 - 1], keys[$0]) }) { return }
        keys.sort(by: precedes)
        // Entry `keys[k].index` goes to place `k`: each cycle of the permutation is followed with
        // swaps (of the buffer's memory: the array's `swapAt` copies the entries it swaps).
        var placed = [Bool](repeating: false, count: entries.count)
        entries.withUnsafeMutableBufferPointer { entries in
            for start in entries.indices where !placed[start] {
                var k = start
                while true {
                    placed[k] = true
                    let from = keys[k].index
                    if from == start { break }
                    entries.swapAt(k, from)
                    k = from
                }
            }
        }
    }

    /// An address's first 16 UTF-8 bytes as two big-endian integers (zeros after its end), and its
    /// entry's index.
    private struct AddressKey {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index: Int

        init(_ address: PairAddress, index: Int) {
            self.index = index
            var text = address.rawValue
            text.withUTF8 { bytes in
                for (i, byte) in bytes.prefix(16).enumerated() {
                    if i < 8 { high |= UInt64(byte) << (56 - 8 * i) } else { low |= UInt64(byte) << (120 - 8 * i) }
                }
            }
        }
    }
}

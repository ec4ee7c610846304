import EstateGenerator
import Testing
@testable import VPNForm

/// The planner writes desired specs on two threads from ``Planner/parallelMinimum`` pairs on; the
/// plan must be the one a single thread makes, entry for entry.
@Suite struct PlannerParallelTests {
    @Test("two threads plan exactly what one does: creates, updates, no-ops, deletes, in address order")
    func sameAsOneThread() {
        let yaml = EstateGenerator(pairs: 2_600, connectionsPerGateway: 7, seed: 11).yaml()
        let lineage = MixedPlan.lineage
        var state = applyingCreates(Planner.plan(desired: desired(yaml), state: StateFile(lineage: lineage)),
                                    to: StateFile(lineage: lineage))
        // Forgotten pairs become creates; pairs no longer desired, deletes; edited tags, updates.
        let addresses = state.pairs.keys.sorted { $0.rawValue < $1.rawValue }
        for a in addresses.prefix(5) { state.pairs[a] = nil }
        for (i, a) in addresses.suffix(3).enumerated() {
            state.pairs[PairAddress(rawValue: "zz-gone/\(i)")] = state.pairs[a]
        }
        let d = desired(yaml.replacingOccurrences(of: "tier: t1}", with: "tier: t1-renamed}"))
        #expect(d.pairCount >= Planner.parallelMinimum)

        let parallel = Planner.plan(desired: d, state: state)
        let single = Planner.diff(desired: d, state: state, parallelMinimum: .max)
        #expect(parallel == single)
        #expect(parallel.count(.create) == 5)
        #expect(parallel.count(.delete) == 3)
        #expect(parallel.count(.update) >= 1)
        #expect(parallel.count(.create) + parallel.count(.update) + parallel.count(.noop) == d.pairCount)
        let order = parallel.entries.map(\.address.rawValue)
        #expect(order == order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}

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

    @Test("entries are in the byte order of their addresses, past a shared first 16 bytes too")
    func addressOrder() {
        let lineage = MixedPlan.lineage
        let created = applyingCreates(Planner.plan(desired: generated(20, seed: 3), state: StateFile(lineage: lineage)),
                                      to: StateFile(lineage: lineage))
        let pair = created.pairs.values.first!
        // Every pair is a delete: only the state has them.
        let addresses = ["a-long-gateway-name/x", "a-long-gateway-name/conn-b", "a-long-gateway-nam/x",
                         "a-long-gateway-namex/y", "a-long-gateway-name/conn-a", "a-long-gateway-name/conn-aa",
                         "\u{FC}/1", "A/1", "a/1", "a/10", "a/9", "a/1\u{0}", "b", "a-long-gateway-name/conn"]
        var state = StateFile(lineage: lineage)
        for a in addresses { state.pairs[PairAddress(rawValue: a)] = pair }
        let order = Planner.plan(desired: desired("version: 1\nregion: cn-north-4\ngateways: []\n"), state: state)
            .entries.map(\.address.rawValue)
        #expect(order == addresses.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}

/// The text plan is written on two threads from ``TextPlanRenderer/parallelMinimum`` entries on;
/// the text must be the one a single thread writes, byte for byte.
@Suite struct TextPlanRendererParallelTests {
    @Test("two threads write exactly the text one does, a block of only unchanged pairs included")
    func sameAsOneThread() {
        let d = generated(2_600, seed: 5)
        var plan = Planner.plan(desired: d, state: StateFile(lineage: MixedPlan.lineage))
        // The second block (written by the other thread) only unchanged: it adds no text.
        let block = TextPlanRenderer.blockSize
        for i in block..<(2 * block) { plan.entries[i].action = .noop }
        #expect(plan.entries.count >= TextPlanRenderer.parallelMinimum)

        func text(parallelMinimum: Int) -> String {
            var out = OutputBuffer(capacity: 1 << 20)
            TextPlanRenderer(color: false).write(plan, to: &out, parallelMinimum: parallelMinimum)
            return out.text
        }
        let single = text(parallelMinimum: .max)
        #expect(text(parallelMinimum: 0) == single)
        #expect(single.components(separatedBy: " will be created\n").count - 1 == plan.count(.create))
        #expect(!single.contains("\(plan.entries[block].address) will be created"))
    }
}

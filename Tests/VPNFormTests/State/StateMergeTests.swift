import Testing
import VPNForm

@Suite struct StateMergeTests {
    func states() -> (base: StateFile, plan: Plan) {
        let d = generated(12)
        let plan = Planner.plan(desired: d, state: StateFile(lineage: MixedPlan.lineage))
        return (applyingCreates(Plan(entries: Array(plan.entries.prefix(4))), to: StateFile(lineage: MixedPlan.lineage)), plan)
    }

    @Test("pairs added on either side are both kept")
    func additions() {
        let (base, plan) = states()
        var ours = base, theirs = base
        ours.recordPending(plan.entries[5].address, plan.entries[5].desired!)
        theirs.recordPending(plan.entries[6].address, plan.entries[6].desired!)
        guard case .merged(let merged) = StateMerge.merge(base: base, ours: ours, theirs: theirs) else {
            Issue.record("conflict"); return
        }
        #expect(merged.pairs.count == base.pairs.count + 2)
        #expect(merged.pairs[plan.entries[5].address]?.status == .pending)
        #expect(merged.pairs[plan.entries[6].address]?.status == .pending)
    }

    @Test("a pair changed on one side only takes that side; removed on one side is removed")
    func oneSided() {
        let (base, plan) = states()
        var ours = base
        ours.pairs[plan.entries[0].address] = nil
        var theirs = base
        theirs.recordPending(plan.entries[1].address, plan.entries[1].desired!)
        guard case .merged(let merged) = StateMerge.merge(base: base, ours: ours, theirs: theirs) else {
            Issue.record("conflict"); return
        }
        #expect(merged.pairs[plan.entries[0].address] == nil)
        #expect(merged.pairs[plan.entries[1].address]?.status == .pending)
    }

    @Test("the same pair changed differently on both sides, or two lineages, conflict")
    func conflicts() {
        let (base, plan) = states()
        var ours = base, theirs = base
        let e = plan.entries[7]
        ours.recordPending(e.address, e.desired!)
        theirs.recordCreated(e.address, e.desired!, connections: e.desired!.connections.map {
            ConnectionRecord(id: ConnectionID("00000000-0000-4000-8000-000000000001"), name: $0.name, vgwIP: $0.vgwIP, createdAt: nil)
        })
        #expect(StateMerge.merge(base: base, ours: ours, theirs: theirs) == .conflict(["\(e.address): changed on both sides"]))
        var other = theirs
        other.lineage = "00000000-0000-4000-8000-000000000000"
        guard case .conflict(let reasons) = StateMerge.merge(base: base, ours: ours, theirs: other) else {
            Issue.record("merged two lineages"); return
        }
        #expect(reasons.first?.hasPrefix("lineage:") == true)
    }
}

import EstateGenerator
import Testing
import VPNForm

/// A desired file and a state that together give every kind of plan entry.
enum MixedPlan {
    static let yaml = """
        version: 1
        region: cn-north-4
        defaults:
          psk: ${PSK}
          peer_subnets: [192.168.0.0/24]
          ikepolicy: {dh_group: group16}
        gateways:
          - name: hq
            id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4, 1fb97767-d780-4d8b-83bb-6f878f662005]
            connections:
              - {name: create, cgw_id: 00000000-0000-4000-8000-00000000000a}
              - {name: change, cgw_id: 00000000-0000-4000-8000-00000000000b, ikepolicy: {lifetime_seconds: 7200}, tags: {team: netops}}
              - {name: same, cgw_id: 00000000-0000-4000-8000-00000000000c}
              - {name: pending, cgw_id: 00000000-0000-4000-8000-00000000000d, style: bgp}

        """

    static let lineage = "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21"

    static func state(for d: DesiredState) -> StateFile {
        let g = d.gateways[0]
        func pair(_ name: String) -> (PairAddress, DesiredPair) {
            let c = g.connections.first { $0.name.value == name }!
            return (g.address(of: c), DesiredPair(gateway: g, connection: c))
        }
        func ids(_ p: DesiredPair, _ n: Int) -> [ConnectionRecord] {
            p.connections.enumerated().map { i, c in
                ConnectionRecord(id: ConnectionID(EstateGenerator.uuid(0xf, n * 2 + i)), name: c.name, vgwIP: c.vgwIP, createdAt: "2026-01-0\(n)T00:00:00.000Z")
            }
        }
        var s = StateFile(lineage: lineage)
        let (changeAddress, changePair) = pair("change")
        var old = changePair
        old.spec.attributes["ikepolicy.lifetime_seconds"] = 3600
        old.spec.attributes["tags"] = nil
        old.spec.attributes["peer_subnets"] = ["10.0.0.0/24"]
        s.recordCreated(changeAddress, old, connections: ids(old, 1))
        let (sameAddress, samePair) = pair("same")
        s.recordCreated(sameAddress, samePair, connections: ids(samePair, 2))
        let (pendingAddress, pendingPair) = pair("pending")
        s.recordPending(pendingAddress, pendingPair)
        // The pair's connections are read from its spec: renamed there.
        var gone = samePair
        for (i, c) in samePair.connections.enumerated() {
            let name = c.name.replacingOccurrences(of: "same", with: "gone")
            gone.spec.attributes["connections[\(i)].name"] = .string(name)
        }
        s.recordCreated(PairAddress(rawValue: "hq/gone"), gone, connections: ids(gone, 3))
        s.recordPending(PairAddress(rawValue: "hq/abandoned"), gone)
        return s
    }

    static var plan: Plan {
        let d = desired(yaml)
        return Planner.plan(desired: d, state: state(for: d))
    }
}

@Suite struct PlannerTests {
    @Test("every entry kind: create, update with attributes, no-op, recover, delete (a pending one no longer desired too)")
    func kinds() {
        let plan = MixedPlan.plan
        #expect(plan.entries.map { "\($0.address) \($0.action.rawValue)" } == [
            "hq/abandoned delete", "hq/change update", "hq/create create", "hq/gone delete", "hq/pending recover",
            "hq/same no-op",
        ])
        let change = plan.entries.first { $0.action == .update }!
        #expect(change.changes == [
            AttributeChange(attribute: "ikepolicy.lifetime_seconds", old: 3600, new: 7200),
            AttributeChange(attribute: "peer_subnets", old: ["10.0.0.0/24"], new: ["192.168.0.0/24"]),
            AttributeChange(attribute: "tags", old: nil, new: ["team": "netops"]),
        ])
        #expect(plan.entries.first { $0.address.rawValue == "hq/abandoned" }?.desired == nil)
        #expect(plan.hasChanges)
        #expect(plan.summaryLine
                == "Plan: 1 to create, 1 to update in place, 0 to replace, 1 to recover, 2 to delete, 1 unchanged.")
    }

    @Test("property: after recording a plan's creates, planning again creates nothing", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func createsConverge(seed: UInt64) {
        let d = generated(40 + Int(seed) * 13, seed: seed)
        let first = Planner.plan(desired: d, state: StateFile(lineage: MixedPlan.lineage))
        #expect(first.count(.create) == d.pairCount)
        let after = applyingCreates(first, to: StateFile(lineage: MixedPlan.lineage))
        let second = Planner.plan(desired: d, state: after)
        #expect(second.count(.create) == 0)
        #expect(second.count(.noop) == d.pairCount)
        #expect(!second.hasChanges)
    }

    @Test("property: adding one connection to the YAML adds exactly one create", arguments: [1, 2, 3] as [UInt64])
    func oneMoreCreate(seed: UInt64) {
        let yaml = EstateGenerator(pairs: 30, connectionsPerGateway: 7, seed: seed).yaml()
        let d = desired(yaml)
        let state = applyingCreates(Planner.plan(desired: d, state: StateFile(lineage: MixedPlan.lineage)), to: StateFile(lineage: MixedPlan.lineage))
        let extra = yaml + """
                  - name: added
                    cgw_id: 00000000-0000-4000-8000-0000000000ff
                    peer_subnets: [192.168.250.0/24]
                    psk: ${PSK_NEW}

            """
        let plan = Planner.plan(desired: desired(extra), state: state)
        #expect(plan.entries.filter { $0.action != .noop }.map(\.action) == [.create])
        #expect(plan.entries.first { $0.action == .create }?.address.rawValue.hasSuffix("/added") == true)
    }

    @Test("property: changing one attribute changes exactly that pair, naming the attribute")
    func oneChange() {
        let yaml = EstateGenerator(pairs: 30, connectionsPerGateway: 7, seed: 9).yaml()
        let state = applyingCreates(Planner.plan(desired: desired(yaml), state: StateFile(lineage: MixedPlan.lineage)), to: StateFile(lineage: MixedPlan.lineage))
        let edited = yaml.replacingOccurrences(of: "tags: {site: s3,", with: "tags: {site: s3-renamed,")
        let plan = Planner.plan(desired: desired(edited), state: state)
        let changed = plan.entries.filter { $0.action != .noop }
        #expect(changed.map(\.action) == [.update])
        #expect(changed.first?.changes.map(\.attribute) == ["tags"])
    }

    @Test("a change the API cannot make in place replaces the pair, naming the attribute; others update it",
          arguments: [
              ("style: bgp", "style: static", PlanEntry.Action.replace, ["style"]),
              ("dh_group: group16", "dh_group: group19", .update, []),
          ] as [(String, String, PlanEntry.Action, [String])])
    func replaceOrUpdate(from: String, to: String, action: PlanEntry.Action, forcing: [String]) {
        let d = desired(MixedPlan.yaml)
        var s = StateFile(lineage: MixedPlan.lineage)
        for g in d.gateways {
            for c in g.connections {
                let p = DesiredPair(gateway: g, connection: c)
                s.recordCreated(g.address(of: c), p, connections: p.connections.enumerated().map { i, r in
                    ConnectionRecord(id: ConnectionID("id-\(c.name.value)-\(i)"), name: r.name, vgwIP: r.vgwIP,
                                     createdAt: nil)
                })
            }
        }
        let edited = MixedPlan.yaml.replacingOccurrences(of: from, with: to)
        let plan = Planner.plan(desired: desired(edited), state: s)
        let changed = plan.entries.filter { $0.action != .noop }
        #expect(!changed.isEmpty)
        for e in changed {
            #expect(e.action == action)
            #expect(e.replacedBy == forcing)
        }
    }

    @Test("journal intents: an updating pair is updated again, a deleting one still desired is replaced")
    func intents() {
        let d = desired(MixedPlan.yaml)
        let g = d.gateways[0], c = g.connections[0]
        let p = DesiredPair(gateway: g, connection: c)
        let records = p.connections.enumerated().map { i, r in
            ConnectionRecord(id: ConnectionID("x\(i)"), name: r.name, vgwIP: r.vgwIP, createdAt: nil)
        }
        for (status, action) in [(PairState.Status.updating, PlanEntry.Action.update), (.deleting, .replace)] {
            var s = StateFile(lineage: MixedPlan.lineage)
            var pair = PairState.created(p, connections: records)
            pair.status = status
            s.pairs[g.address(of: c)] = pair
            let plan = Planner.plan(desired: d, state: s)
            #expect(plan.entries.first { $0.address == g.address(of: c) }?.action == action)
        }
    }

    @Test("the spec digest ignores pre-shared key values and depends on everything sent")
    func digest() {
        let a = desired(MixedPlan.yaml)
        let b = desired(MixedPlan.yaml.replacingOccurrences(of: "dh_group: group16", with: "dh_group: group19"))
        let pa = DesiredPair(gateway: a.gateways[0], connection: a.gateways[0].connections[0])
        let pb = DesiredPair(gateway: b.gateways[0], connection: b.gateways[0].connections[0])
        #expect(pa.digest != pb.digest)
        #expect(pa.spec.attributes["psk"] == "${PSK}")
        #expect(pa.digest == DesiredPair(gateway: a.gateways[0], connection: a.gateways[0].connections[0]).digest)
    }
}

/// A spec's `tags` member: keys sorted by bytes, a later duplicate winning (the writer has a fast
/// path for tags already in order, and the general one for the rest).
struct SpecTagsTests {
    private func tags(_ written: String) -> JSONValue? {
        let d = desired("""
            version: 1
            region: cn-north-4
            gateways:
              - name: hq
                id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
                ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
                connections:
                  - name: a
                    cgw_id: 00000000-0000-4000-8000-00000000000a
                    psk: ${PSK}
                    peer_subnets: [10.0.0.0/24]
                    tags: \(written)

            """)
        return DesiredPair(gateway: d.gateways[0], connection: d.gateways[0].connections[0]).spec.attributes["tags"]
    }

    @Test("tags in order, out of order and with a non-ASCII key give the spec's sorted object")
    func sorted() {
        let want: JSONValue = .object(["a": .string("1"), "b": .string("2"), "c": .string("3")])
        #expect(tags("{a: '1', b: '2', c: '3'}") == want)
        #expect(tags("{c: '3', a: '1', b: '2'}") == want)
        #expect(tags("{é: x, b: y}") == .object(["b": .string("y"), "é": .string("x")]))
    }
}

import EstateGenerator
import Testing
import VPNForm

/// The planner against a live view: pure, so every drift case is checked without a server.
@Suite struct RefreshTests {
    /// A desired estate, a state that has created all of it, and a live view that holds exactly that.
    struct World {
        let desired: DesiredState
        var state: StateFile
        var live: LiveView

        init(pairs: Int = 6) {
            desired = generated(pairs, seed: 11)
            state = applyingCreates(Planner.plan(desired: desired, state: .empty()), to: .empty())
            var connections: [LiveConnection] = []
            for (address, pair) in state.pairs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                connections += World.live(pair, address: address)
            }
            live = LiveView(gateways: Set(desired.gateways.map(\.id.value)), connections: connections)
        }

        /// The connections of a pair as the API would show them: the spec's values, plus server defaults.
        static func live(_ pair: PairState, address: PairAddress) -> [LiveConnection] {
            let attributes = pair.spec.attributes
            return pair.connections.enumerated().map { i, record in
                var a = attributes.filter { !$0.key.hasPrefix("connections[") }
                let prefix = "connections[\(i)]."
                for (k, v) in attributes where k.hasPrefix(prefix) { a[String(k.dropFirst(prefix.count))] = v }
                a["psk"] = nil
                a["ipsecpolicy.transform_protocol"] = .string("esp")  // a server default the file does not set
                return LiveConnection(id: record.id!, name: record.name, gatewayID: pair.gatewayID, vgwIP: record.vgwIP,
                                      status: "ACTIVE", createdAt: record.createdAt, attributes: a)
            }
        }

        func plan() -> Plan { Planner.plan(desired: desired, state: state, live: live) }
    }

    @Test("live == state: no entry changes, no drift, statuses shown")
    func unchanged() {
        let w = World()
        let plan = w.plan()
        #expect(plan.drift.isEmpty)
        #expect(!plan.hasChanges)
        #expect(plan.refreshed)
        #expect(plan.entries.allSatisfy { $0.liveStatus == ["ACTIVE", "ACTIVE"] || $0.liveStatus == ["ACTIVE"] })
    }

    @Test("all connections of a pair deleted: drift names them, the pair is created again")
    func allDeleted() {
        var w = World()
        let address = w.state.pairs.keys.sorted { $0.rawValue < $1.rawValue }[2]
        let ids = Set(w.state.pairs[address]!.connections.compactMap(\.id))
        w.live.connections.removeAll { ids.contains($0.id) }
        let plan = w.plan()
        #expect(plan.entries.first { $0.address == address }?.action == .create)
        #expect(plan.drift.count == 1)
        guard case .deleted(let gone)? = plan.drift.first?.kind else { Issue.record("expected deleted"); return }
        #expect(Set(gone.compactMap(\.id)) == ids)
        #expect(plan.hasChanges)
    }

    @Test("one of two connections deleted: the pair is recovered, so apply creates only the missing one")
    func oneDeleted() {
        var w = World()
        let address = w.state.pairs.first { $0.value.connections.count == 2 }!.key
        let victim = w.state.pairs[address]!.connections[1].id!
        w.live.connections.removeAll { $0.id == victim }
        let plan = w.plan()
        #expect(plan.entries.first { $0.address == address }?.action == .recover)
        #expect(plan.entries.first { $0.address == address }?.liveStatus == ["ACTIVE", "DELETED"])
    }

    @Test("an attribute changed outside: drift shows state -> live; the plan shows desired against live")
    func attributeChanged() {
        var w = World()
        let index = w.live.connections.firstIndex { $0.attributes["cgw_id"] != nil }!
        let address = w.state.pairs.first { $0.value.connections.contains { $0.id == w.live.connections[index].id } }!.key
        let before = w.live.connections[index].attributes["cgw_id"]
        w.live.connections[index].attributes["cgw_id"] = .string("99999999-0000-4000-8000-000000000001")
        let plan = w.plan()
        guard case .changed(let changes)? = plan.drift.first(where: { $0.address == address })?.kind else {
            Issue.record("expected changed")
            return
        }
        #expect(changes == [AttributeChange(attribute: "cgw_id", old: before, new: .string("99999999-0000-4000-8000-000000000001"))])
        let entry = plan.entries.first { $0.address == address }!
        #expect(entry.action == .update)
        #expect(entry.changes.map(\.attribute) == ["cgw_id"])
        #expect(entry.changes.first?.new == before, "apply would bring it back to the file's value")
    }

    @Test("an update interrupted between its PUTs (the pair's connections disagree) is planned again, not hidden")
    func interruptedUpdate() {
        var w = World()
        let address = w.state.pairs.first {
            $0.value.connections.count == 2 && $0.value.spec.attributes["cgw_id"] != nil
        }!.key
        // The state (its journal lost) still records the old value; the file wants the current one, which the
        // first connection has already and the second not yet.
        let wanted = w.state.pairs[address]!.spec.attributes["cgw_id"]!
        let old = JSONValue.string("99999999-0000-4000-8000-000000000002")
        w.state.pairs[address]!.spec.attributes["cgw_id"] = old
        let second = w.live.connections.firstIndex { $0.id == w.state.pairs[address]!.connections[1].id }!
        w.live.connections[second].attributes["cgw_id"] = old
        let refresh = Refresh(state: w.state, live: w.live, desired: w.desired)
        #expect(refresh.state.pairs[address]?.spec.attributes["cgw_id"] == old)
        let plan = Planner.plan(desired: w.desired, refresh: refresh)
        #expect(plan.entries.first { $0.address == address }?.action == .update, "the second connection gets its PUT")
        _ = wanted
    }

    @Test("a server that splits policy rules one destination a rule is not drift")
    func policyRulesSplit() {
        let rules: JSONValue = .array([.object(["source": .string("10.0.0.0/24"),
                                                "destination": .array([.string("10.1.0.0/24"), .string("10.2.0.0/24")])])])
        let split: JSONValue = .array([
            .object(["source": .string("10.0.0.0/24"), "destination": .array([.string("10.2.0.0/24")])]),
            .object(["source": .string("10.0.0.0/24"), "destination": .array([.string("10.1.0.0/24")])]),
        ])
        let spec = PairSpec(attributes: ["policy_rules": rules, "style": .string("policy")])
        let live = LiveConnection(id: ConnectionID("x"), name: "n", gatewayID: GatewayID("g"), vgwIP: "ip", status: "DOWN",
                                  createdAt: nil, attributes: ["policy_rules": split, "style": .string("policy")])
        #expect(Refresh.changes(spec, [live]).isEmpty)
        var other = live
        other.attributes["policy_rules"] = .array([split.arrayValue[0]])
        #expect(Refresh.changes(spec, [other]).map(\.attribute) == ["policy_rules"])
    }

    @Test("a state that lost a pair: the live connections with its names are adoptable, not created twice")
    func adoptable() {
        var w = World()
        let address = w.state.pairs.keys.sorted { $0.rawValue < $1.rawValue }[1]
        w.state.pairs[address] = nil
        let plan = w.plan()
        #expect(plan.entries.first { $0.address == address }?.action == .create)
        guard case .adoptable(let found)? = plan.drift.first(where: { $0.address == address })?.kind else {
            Issue.record("expected adoptable")
            return
        }
        #expect(!found.isEmpty)
    }

    @Test("a connection no pair claims is unmanaged, listed last")
    func unmanaged() {
        var w = World()
        let gateway = w.desired.gateways[0].id.value
        w.live.connections.append(LiveConnection(id: ConnectionID("made-in-console"), name: "console-1", gatewayID: gateway,
                                                 vgwIP: "x", status: "DOWN", createdAt: nil, attributes: [:]))
        let plan = w.plan()
        #expect(!plan.hasChanges, "an unmanaged connection alone is not a change")
        #expect(plan.drift.last?.unmanagedGateway == gateway)
        #expect(DriftRenderer().render(plan.drift).contains("import it with: vpnform import --gateway \(gateway)"))
    }

    @Test("gateways the view does not cover are left as the state says")
    func uncovered() {
        var w = World()
        w.live = LiveView(gateways: [], connections: [])
        let plan = w.plan()
        #expect(plan.drift.isEmpty)
        #expect(!plan.hasChanges)
    }
}

extension JSONValue {
    fileprivate var arrayValue: [JSONValue] { if case .array(let a) = self { return a } else { return [] } }
}

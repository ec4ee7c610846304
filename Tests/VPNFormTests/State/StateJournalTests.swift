import Foundation
import TestSupport
import Testing
import VPNForm

@Suite struct StateJournalTests {
    func pairs() -> [(PairAddress, DesiredPair)] {
        let plan = Planner.plan(desired: generated(6), state: StateFile(lineage: MixedPlan.lineage))
        return plan.entries.map { ($0.address, $0.desired!) }
    }

    @Test("a reader replays the journal an interrupted apply left, ignoring a torn last line")
    func replay() throws {
        let scratch = Scratch()
        let store = StateStore(path: scratch.path("s.json"))
        let p = pairs()
        var base = StateFile(lineage: MixedPlan.lineage)
        base.recordPending(p[0].0, p[0].1)
        try store.save(base)
        let journal = StateJournal(statePath: store.path)
        let created = PairState.created(p[0].1, connections: p[0].1.connections.map {
            ConnectionRecord(id: ConnectionID("00000000-0000-4000-8000-000000000001"), name: $0.name, vgwIP: $0.vgwIP, createdAt: nil)
        })
        try journal.append([.init(address: p[0].0, pair: created), .init(address: p[1].0, pair: .pending(p[1].1))])
        try journal.append([.init(address: p[1].0, pair: nil), .init(address: p[2].0, pair: .pending(p[2].1))])
        // A crash inside the next write: half a line, no newline.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"address\": \"gw0/site9\", \"pa".utf8))
        try handle.close()

        let (state, bytes) = try store.load()
        #expect(state.pairs[p[0].0] == created)
        #expect(state.pairs[p[1].0] == nil)
        #expect(state.pairs[p[2].0]?.status == .pending)
        #expect(state.pairs.count == 2)
        #expect(state.lineage == MixedPlan.lineage)
        #expect((bytes?.count ?? 0) > base.serialized().count, "the digest covers the journal too")
        // The state file itself was not touched by reading.
        #expect(try StateFile.parse(scratch.bytes("s.json")!, path: "s") == base)
    }

    static let damagedJournals: [(String, String, String)] = [
        ("garbage\n{\"address\": \"a/b\", \"pair\": null}\n", "s.json.journal:1:1", "syntax error: expected a value"),
        ("[1, 2]\n{\"address\": \"a/b\", \"pair\": null}\n", "s.json.journal:1:1",
         "journal line 1 is not a journal entry"),
        ("{\"address\": \"a/b\", \"pair\": null}\n{\"address\": \"a/b\", \"pair\": {\"status\": 7}}\n", "s.json.journal:2:39", "status: expected a string"),
    ]

    @Test("a damaged journal line that is not the last is an error, located on its own line", arguments: damagedJournals.indices)
    func damaged(_ i: Int) throws {
        let (contents, location, message) = Self.damagedJournals[i]
        let scratch = Scratch()
        let store = StateStore(path: scratch.path("s.json"))
        try store.save(StateFile(lineage: MixedPlan.lineage))
        _ = scratch.write("s.json.journal", contents)
        #expect { try store.load() } throws: { "\($0)".contains(location) && "\($0)".contains(message) }
    }

    @Test("journal lines are canonical JSON: keys sorted, no whitespace, the spec verbatim")
    func canonicalLines() throws {
        let scratch = Scratch()
        let journal = StateJournal(statePath: scratch.path("s.json"))
        let p = pairs()
        try journal.append([.init(address: p[0].0, pair: .pending(p[0].1)), .init(address: p[1].0, pair: nil)])
        let lines = String(decoding: scratch.bytes("s.json.journal")!, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        for line in lines {
            // Canonical JSON re-encodes to itself.
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let again = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            #expect(line == again)
        }
        #expect(lines[0].contains("\"spec\":" + String(decoding: p[0].1.spec.canonical, as: UTF8.self) + ","))
        #expect(lines[1] == "{\"address\":\"\(p[1].0.rawValue)\",\"pair\":null}")
    }
}

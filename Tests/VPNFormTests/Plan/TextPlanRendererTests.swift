import Foundation
import Testing
import VPNForm

/// The text plan written into a byte buffer, creates straight from canonical spec bytes, reads
/// exactly as the entry-by-entry rendering does.
@Suite struct TextPlanRendererTests {
    /// The plan as ``TextPlanRenderer/render(_:)-(PlanEntry)`` renders each entry.
    func entryByEntry(_ plan: Plan, color: Bool) -> String {
        let r = TextPlanRenderer(color: color)
        let shown = plan.entries.filter { $0.action != .noop }
        guard !shown.isEmpty else { return r.render(plan) }
        let summary = color ? "\u{1B}[1m\(plan.summaryLine)\u{1B}[0m" : plan.summaryLine
        let entries = shown.map { "\n" + r.render($0) }.joined()
        return "vpnform will perform the following actions:\n" + entries + "\n\(summary)\n"
    }

    @Test("creates written from canonical bytes read as rendered from attributes", arguments: [false, true])
    func creates(color: Bool) {
        let creates = Planner.plan(desired: generated(40), state: StateFile(lineage: StateFileTests.lineage))
        for plan in [creates, MixedPlan.plan] {
            #expect(TextPlanRenderer(color: color).render(plan) == entryByEntry(plan, color: color))
        }
    }

    @Test("non-ASCII tag keys and values, colons inside strings, lists and objects")
    func unusualValues() {
        let yaml = """
            version: 1
            project_id: 0123456789abcdef0123456789abcdef
            region: cn-north-4
            gateways:
              - name: hq
                id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
                ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
                connections:
                  - name: site
                    cgw_id: 7d1e4c2a-5b3f-4e8d-9a61-2f0c8b7e5d94
                    peer_subnets: [192.168.30.0/24, 10.1.0.0/16]
                    psk: ${PSK}
                    tags: {"té": "a é: b=c", b: "x=y"}

            """
        let plan = Planner.plan(desired: desired(yaml), state: StateFile(lineage: StateFileTests.lineage))
        let text = TextPlanRenderer(color: false).render(plan)
        #expect(text == entryByEntry(plan, color: false))
        #expect(text.contains("+ tags                  = {\"b\": \"x=y\", \"té\": \"a é: b=c\"}"), "\(text)")
        #expect(text.contains("+ peer_subnets          = [\"192.168.30.0/24\", \"10.1.0.0/16\"]"), "\(text)")
    }

    @Test("a buffer with a sink hands on chunks at entry boundaries, and all of the text")
    func chunks() {
        let plan = Planner.plan(desired: generated(40), state: StateFile(lineage: StateFileTests.lineage))
        var chunks: [[UInt8]] = []
        var out = OutputBuffer(chunkSize: 2000) { chunks.append(Array($0)) }
        TextPlanRenderer(color: false).write(plan, to: &out)
        out.finish()
        #expect(chunks.count > 5)
        #expect(chunks.dropLast().allSatisfy { $0.count >= 2000 })
        #expect(chunks.dropFirst().allSatisfy { $0.first == UInt8(ascii: "\n") },
                "each chunk after the first starts a new entry")
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == TextPlanRenderer(color: false).render(plan))
    }
}

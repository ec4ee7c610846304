import Foundation
import Testing
import VPNForm

/// Golden files for the three renderers over a plan with every entry kind. Regenerate with
/// `VPNFORM_UPDATE_GOLDEN=1 swift test --filter PlanRendererGoldenTests` and review the diff.
@Suite struct PlanRendererGoldenTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    func check(_ name: String, _ actual: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["VPNFORM_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; regenerate with VPNFORM_UPDATE_GOLDEN=1 if intended")
    }

    static var document: PlanDocument {
        PlanDocument(plan: MixedPlan.plan, desiredPath: "vpn.yaml", desiredSHA256: String(repeating: "a", count: 64),
                     statePath: "vpn.state.json", stateSHA256: String(repeating: "b", count: 64), lineage: MixedPlan.lineage)
    }

    @Test("text plan") func text() throws { try check("plan.txt", TextPlanRenderer(color: false).render(MixedPlan.plan)) }
    @Test("text plan in colour") func colour() throws { try check("plan.color.txt", TextPlanRenderer(color: true).render(MixedPlan.plan)) }
    @Test("JSON plan") func json() throws { try check("plan.json", Self.document.rendered()) }
    @Test("Markdown plan") func markdown() throws {
        try check("plan.md", MarkdownPlanRenderer().render(MixedPlan.plan, file: "vpn.yaml"))
    }

    @Test("Markdown: natural order of addresses, a marker naming the file, changed attributes as - and + lines")
    func markdownDetails() {
        let yaml = (1...12).map { n in
            "      - {name: site\(n), cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fce\(String(format: "%02d", n)), "
                + "peer_subnets: [10.0.\(n).0/24], psk: \"${PSK}\"}\n"
        }.joined()
        let d = desired("""
            version: 1
            project_id: 0123456789abcdef0123456789abcdef
            region: cn-north-4
            gateways:
              - name: hq
                id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
                ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
                connections:

            """ + yaml)
        let md = MarkdownPlanRenderer().render(Planner.plan(desired: d, state: StateFile(lineage: MixedPlan.lineage)),
                                               file: "stacks/prod/vpn.yaml")
        #expect(md.hasPrefix("<!-- vpnform-plan: stacks/prod/vpn.yaml -->\n### vpnform plan: `stacks/prod/vpn.yaml`\n"))
        let listed = md.split(separator: "\n").filter { $0.hasPrefix("- `hq/") }.map { String($0.dropFirst(3).prefix { $0 != "`" }) }
        #expect(listed == (1...12).map { "hq/site\($0)" })
        let changed = MarkdownPlanRenderer().render(MixedPlan.plan)
        #expect(changed.contains("\n-       ikepolicy.lifetime_seconds = 3600\n+       ikepolicy.lifetime_seconds = 7200\n"))
        #expect(changed.hasPrefix("<!-- vpnform-plan -->\n"))
        #expect(NaturalOrder.less("site2", "site10") && !NaturalOrder.less("site10", "site2") && NaturalOrder.less("a1b2", "a1b10"))
    }

    @Test("colour only on a terminal, never with NO_COLOR")
    func colourRule() {
        #expect(TextPlanRenderer.wantsColor(isTerminal: true, environment: [:]))
        #expect(!TextPlanRenderer.wantsColor(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!TextPlanRenderer.wantsColor(isTerminal: false, environment: [:]))
        #expect(!TextPlanRenderer(color: false).render(MixedPlan.plan).contains("\u{1B}["))
    }

    @Test("a huge plan's Markdown stays under GitHub's comment limit and still says what happens")
    func markdownLimit() {
        let plan = Planner.plan(desired: generated(3000), state: StateFile(lineage: MixedPlan.lineage))
        let md = MarkdownPlanRenderer().render(plan)
        #expect(md.count <= 65_536)
        #expect(md.contains("Plan: 3000 to create"))
        #expect(md.contains("…and "))
    }

    @Test("no changes reads as such")
    func noChanges() {
        let d = generated(10)
        let state = applyingCreates(Planner.plan(desired: d, state: StateFile(lineage: MixedPlan.lineage)), to: StateFile(lineage: MixedPlan.lineage))
        let plan = Planner.plan(desired: d, state: state)
        #expect(TextPlanRenderer(color: false).render(plan) == "No changes. The desired file and the state agree (10 pairs).\n")
        #expect(MarkdownPlanRenderer().render(plan).contains("**No changes.**"))
    }
}

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
    @Test("Markdown plan") func markdown() throws { try check("plan.md", MarkdownPlanRenderer().render(MixedPlan.plan)) }

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

import Foundation
import TestSupport
import Testing
import VPNForm

/// The repository root, found from this file's path (tests run from a clone).

@Suite struct ExamplesTests {
    static let examples: [String] = {
        let dir = Repository.root.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "examples/\($0)" }
    }()

    @Test("there are examples: quickstart, policy and a larger estate")
    func present() {
        #expect(Self.examples.contains("examples/quickstart.yaml"))
        #expect(Self.examples.count >= 3)
    }

    @Test("every example validates with no error and no warning", arguments: examples)
    func validates(_ path: String) throws {
        let loaded = try DesiredStateLoader().load(path: Repository.root.appendingPathComponent(path).path)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(loaded.isValid)
    }

    @Test("the quickstart has one gateway with two IPs, a static and a bgp connection")
    func quickstartShape() throws {
        let loaded = try DesiredStateLoader().load(path: Repository.root.appendingPathComponent("examples/quickstart.yaml").path)
        let state = try #require(loaded.state)
        #expect(state.gateways.count == 1)
        #expect(state.gateways[0].ips.value.count == 2)
        #expect(Set(state.gateways[0].connections.map(\.spec.effectiveStyle)) == [.static, .bgp])
    }
}

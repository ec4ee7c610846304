import Foundation
import Testing
import VPNForm

/// Replays every input in Fixtures/fuzz-regressions through the fuzz targets' checks.
@Suite struct FuzzRegressionTests {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("fuzz-regressions")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasSuffix(".md") }.sorted()

    @Test("each regression input ends in a model or located errors, and parsed states round-trip", arguments: files)
    func replay(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name)))
        if name.hasSuffix(".yaml") {
            let loaded = DesiredStateLoader().load(bytes: bytes, file: name)
            #expect(loaded.isValid || loaded.diagnostics.hasErrors)
            #expect(loaded.diagnostics.allSatisfy { $0.mark.line >= 1 && $0.mark.column >= 1 })
        } else {
            if let state = try? StateFile.parse(bytes, path: name) {
                #expect(try StateFile.parse(state.serialized(), path: "again") == state)
            }
            _ = try? SavedPlan.parse(bytes, path: name)
            _ = try? StateJournal.replay(bytes, onto: StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21"), path: name)
        }
    }

    @Test("there are regression inputs to replay")
    func present() { #expect(Self.files.count >= 2) }
}

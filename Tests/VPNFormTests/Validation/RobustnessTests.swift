import Foundation
import TestSupport
import Testing
import VPNForm
import VPNValues

/// Mangled versions of the examples: whatever the bytes, loading ends with diagnostics, never a crash.
@Suite struct RobustnessTests {
    static let examples = ExamplesTests.examples

    @Test("every truncation of an example loads without crashing", arguments: examples)
    func truncations(_ path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Repository.root.appendingPathComponent(path)))
        for end in stride(from: 0, to: bytes.count, by: 7) {
            let loaded = DesiredStateLoader().load(bytes: Array(bytes[..<end]), file: path)
            // A cut file is either still valid (cut at a line end after a complete entry) or says why not.
            #expect(loaded.isValid || loaded.diagnostics.hasErrors)
        }
    }

    @Test("random byte mutations load without crashing", arguments: examples)
    func mutations(_ path: String) throws {
        let original = try [UInt8](Data(contentsOf: Repository.root.appendingPathComponent(path)))
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("-:[]{},&*!|>'\"#%@` \n\t0123456789abcxyz\u{0}".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = alphabet.randomElement(using: &rng)!
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet.randomElement(using: &rng)!, at: i)
                }
            }
            let loaded = DesiredStateLoader().load(bytes: bytes, file: path)
            #expect(loaded.isValid || loaded.diagnostics.hasErrors)
            for d in loaded.diagnostics { #expect(d.mark.line >= 1 && d.mark.column >= 1) }
        }
    }
}

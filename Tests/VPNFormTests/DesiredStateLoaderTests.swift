import Foundation
import Testing
import EstateGenerator
import VPNCrypto
import VPNForm

/// The loader lets a file's bytes go once parsed when the caller has no use for their hash.
@Suite struct DesiredStateLoaderTests {
    @Test("loading without the bytes gives the same model and findings, and no bytes")
    func withoutBytes() throws {
        // One valid estate, and one with a finding the validator reports after the bytes are gone.
        let valid = EstateGenerator(pairs: 30, connectionsPerGateway: 7, seed: 3).yaml()
        let invalid = valid.replacingOccurrences(of: "lifetime_seconds: 3600", with: "lifetime_seconds: 3")
        for text in [valid, invalid] {
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("loader-\(UUID().uuidString).yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let kept = try DesiredStateLoader().load(path: path)
            let dropped = try DesiredStateLoader().load(path: path, keepingBytes: false)
            #expect(kept.bytes == Array(text.utf8))
            #expect(kept.sha256 == SHA256.hex(Array(text.utf8)))
            #expect(dropped.bytes == nil && dropped.sha256 == nil)
            #expect(dropped.state == kept.state)
            #expect(dropped.diagnostics == kept.diagnostics)
        }
    }
}

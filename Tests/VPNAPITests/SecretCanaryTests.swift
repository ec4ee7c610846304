import Testing
import VPNCrypto

@Suite struct SecretCanaryTests {
    @Test("a registered secret stops a write that contains it, naming the channel only")
    func fires() {
        SecretCanary.register(Secret("canary-unit-secret-7"))
        #expect(throws: SecretLeak(channel: "standard output")) {
            try SecretCanary.check("created hq/x with canary-unit-secret-7 inside", channel: "standard output")
        }
        do {
            try SecretCanary.check(Array("…canary-unit-secret-7".utf8), channel: "vpn.state.json")
        } catch {
            #expect(error.description.contains("vpn.state.json"))
            #expect(!error.description.contains("canary-unit-secret-7"))
        }
    }

    @Test("ordinary output passes; short values are never registered")
    func quiet() throws {
        SecretCanary.register(Secret("canary-unit-secret-8"))
        try SecretCanary.check("canary-unit-secret-", channel: "x")
        try SecretCanary.check("", channel: "x")
        let before = SecretCanary.count
        SecretCanary.register(Secret("abc"))
        #expect(SecretCanary.count == before)
    }
}

import Synchronization
import Testing
@testable import VPNFormCLI

@Suite struct ProcessLifetimeTests {
    /// Counts its deinits.
    final class Tracked: Sendable {
        static let deinits = Atomic<Int>(0)
        deinit { Self.deinits.add(1, ordering: .relaxed) }
    }

    @Test("a kept value is not torn down when the command's last reference goes; an unkept one is")
    func kept() {
        let before = Tracked.deinits.load(ordering: .relaxed)
        do { _ = Tracked() }
        #expect(Tracked.deinits.load(ordering: .relaxed) == before + 1)
        do { ProcessLifetime.keep(Tracked()) }
        #expect(Tracked.deinits.load(ordering: .relaxed) == before + 1)
    }
}

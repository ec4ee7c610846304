import Foundation
import Testing
import VPNFormCLI

/// Commands that need no concurrency run on the calling thread (so `main` never starts the
/// dispatch main queue for them, and valgrind can run the binary); `apply` and `emulator` are
/// left, untouched, to the async entry point.
@Suite struct SynchronousDispatchTests {
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func add(_ s: String) { lock.withLock { text += s } }
        var value: String { lock.withLock { text } }
    }

    func run(_ arguments: [String]) -> (Int32?, String) {
        let output = Output()
        let console = Console(out: { output.add($0) }, err: { output.add($0) }, environment: [:])
        return (VPNFormCLI.runSynchronously(arguments, console: console), output.value)
    }

    @Test("version, help, usage errors and validate finish on the calling thread")
    func synchronous() {
        #expect(run(["version"]).0 == 0)
        #expect(run(["--version"]).1.contains(VPNFormCLI.version))
        #expect(run(["help"]).0 == 0)
        #expect(run(["nonsense"]).0 == 64)
        #expect(run(["validate", "-f", "/nonexistent/vpn.yaml"]).0 == 1)
        // plan, even with --refresh (its reads wait on this thread), and state.
        #expect(run(["plan", "-f", "/nonexistent/vpn.yaml", "--refresh"]).0 == 1)
        #expect(run(["state", "show", "a/b", "--state", "/nonexistent/s.json"]).0 != nil)
    }

    @Test("apply and emulator are left to the async entry point, with nothing printed")
    func asynchronous() {
        for arguments in [["apply", "-f", "/nonexistent/vpn.yaml"], ["emulator"], ["import", "--gateway", "x"]] {
            let (code, printed) = run(arguments)
            #expect(code == nil, "\(arguments)")
            #expect(printed.isEmpty, "\(arguments)")
        }
    }
}

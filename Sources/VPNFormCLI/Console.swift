import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VPNCrypto

/// Where the CLI writes, and what it knows of its environment: the seam tests replace.
public struct Console: Sendable {
    /// Writes to standard output.
    public var out: @Sendable (String) -> Void
    /// Writes to standard error.
    public var err: @Sendable (String) -> Void
    /// Writes UTF-8 bytes, lent for the call, to standard output (a plan's text, megabytes at a time,
    /// written without making it a `String`): the live console's own writer, else ``out`` as text.
    public var outBytes: @Sendable (UnsafeBufferPointer<UInt8>) -> Void {
        if let bytesOut { return bytesOut }
        let out = out
        return { out(String(decoding: $0, as: UTF8.self)) }
    }
    private var bytesOut: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)?
    /// The process environment; the live console leaves out empty variables.
    public var environment: [String: String]

    /// Creates a console.
    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void, environment: [String: String]) {
        self.out = out
        self.err = err
        self.environment = environment
    }

    /// The real standard output, standard error and environment. Every write passes the secret
    /// canary first; a write that would reveal a loaded secret stops the process instead.
    public static var live: Console {
        var console = Console(
            out: { write($0, to: STDOUT_FILENO, channel: "standard output") },
            err: { write($0, to: STDERR_FILENO, channel: "standard error") },
            // An empty variable counts as unset, everywhere (`HUAWEICLOUD_SDK_PROJECT_ID=` is no project id).
            environment: ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        )
        console.bytesOut = { write(UnsafeRawBufferPointer($0), to: STDOUT_FILENO, channel: "standard output") }
        return console
    }

    private static func write(_ text: String, to fd: Int32, channel: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd, channel: channel) }
    }

    /// Writes `bytes` whole to `fd` once the canary has passed them; a leak, or a write that fails
    /// (a full disk; a closed pipe when `SIGPIPE` is ignored), ends the process with an error.
    private static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32, channel: String) {
        do {
            try SecretCanary.check(bytes, channel: channel)
        } catch {
            fail("\(error)")
        }
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if fd == STDERR_FILENO { exit(ExitCode.failure) }
                fail("cannot write to \(channel): " + (n < 0 ? String(cString: strerror(errno)) : "nothing was written"))
            }
            done += n
        }
    }

    /// Ends the process with `message` on standard error, straight to the descriptor: going through a
    /// console again would meet the canary again.
    private static func fail(_ message: String) -> Never {
        var text = Problem(message: message).text
        text.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(ExitCode.failure)
    }
}

/// Exit codes of `vpnform` (design.md §5).
public enum ExitCode {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let changesPresent: Int32 = 2
    public static let partialApply: Int32 = 3
    public static let usage: Int32 = 64
    public static let interrupted: Int32 = 130
}

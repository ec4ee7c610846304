import Foundation
import VPNCrypto

/// Where the CLI writes, and what it knows of its environment: the seam tests replace.
public struct Console: Sendable {
    /// Writes to standard output.
    public var out: @Sendable (String) -> Void
    /// Writes to standard error.
    public var err: @Sendable (String) -> Void
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
        Console(
            out: { write($0, to: .standardOutput, channel: "standard output") },
            err: { write($0, to: .standardError, channel: "standard error") },
            // An empty variable counts as unset, everywhere (`HUAWEICLOUD_SDK_PROJECT_ID=` is no project id).
            environment: ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        )
    }

    private static func write(_ text: String, to handle: FileHandle, channel: String) {
        do {
            try SecretCanary.check(text, channel: channel)
            handle.write(Data(text.utf8))
        } catch {
            // Straight to the file handle: going through a console again would meet the canary again.
            FileHandle.standardError.write(Data(Problem(message: "\(error)").text.utf8))
            exit(ExitCode.failure)
        }
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

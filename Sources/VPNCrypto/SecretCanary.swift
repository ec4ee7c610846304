#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The secret canary: every secret the process loads (SK, security token, each resolved or
/// literal pre-shared key) is registered here, and every byte the process writes to standard
/// output, standard error, the state file, its journal or a plan file is checked against them
/// first. A hit stops the write with an error that names the channel, never the secret.
public enum SecretCanary {
    private static let registered = Mutex<[[UInt8]]>([])

    /// Shorter values are not registered: they would match ordinary text by chance.
    public static let minimumLength = 6

    /// Registers a secret's bytes.
    public static func register(_ secret: Secret) {
        let bytes = Array(secret.revealed.utf8)
        guard bytes.count >= minimumLength else { return }
        registered.withLock { list in
            if !list.contains(bytes) { list.append(bytes) }
        }
    }

    /// How many secrets are registered (for tests).
    public static var count: Int { registered.withLock { $0.count } }

    /// Throws when `bytes` contain a registered secret.
    /// - Parameter channel: What is being written, e.g. `standard output` or the state file's path.
    public static func check(_ bytes: [UInt8], channel: String) throws(SecretLeak) {
        if bytes.withUnsafeBytes(holdsSecret) { throw SecretLeak(channel: channel) }
    }

    /// Throws when the bytes in `haystack` contain a registered secret.
    public static func check(_ haystack: UnsafeRawBufferPointer, channel: String) throws(SecretLeak) {
        if holdsSecret(haystack) { throw SecretLeak(channel: channel) }
    }

    private static func holdsSecret(_ haystack: UnsafeRawBufferPointer) -> Bool {
        registered.withLock { list in
            list.contains { needle in
                needle.withUnsafeBytes { n in contains(haystack, n) }
            }
        }
    }

    /// Whether `needle` occurs in `haystack` (memchr for the first byte, memcmp for the rest;
    /// Glibc's memmem is not exported to Swift).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let h = haystack.baseAddress, let n = needle.baseAddress, needle.count > 0, haystack.count >= needle.count else { return false }
        let last = haystack.count - needle.count
        var i = 0
        while i <= last {
            guard let p = memchr(h + i, Int32(needle[0]), last - i + 1) else { return false }
            if memcmp(p, n, needle.count) == 0 { return true }
            i = h.distance(to: UnsafeRawPointer(p)) + 1
        }
        return false
    }

    /// Throws when `text` contains a registered secret.
    public static func check(_ text: String, channel: String) throws(SecretLeak) {
        try check(Array(text.utf8), channel: channel)
    }
}

/// A write that would have revealed a secret; it was not made.
public struct SecretLeak: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the write was going.
    public let channel: String

    /// A leak about to happen on `channel`.
    public init(channel: String) { self.channel = channel }
    public var description: String {
        "refusing to write to \(channel): the output contains a secret this process loaded (a pre-shared key, the SK or the security token); nothing was written"
    }
}

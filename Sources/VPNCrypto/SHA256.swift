import Foundation
import CCrypto

/// SHA-256 from OpenSSL's libcrypto.
public enum SHA256 {
    /// The algorithm, fetched from the default provider once: `EVP_sha256()` makes every
    /// `EVP_Digest` fetch it again (a few thousand instructions per call, which a state read makes
    /// once per pair). OpenSSL's fetched algorithms are immutable and may be shared between threads.
    nonisolated(unsafe) fileprivate static let algorithm: OpaquePointer? =
        EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()

    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, algorithm, nil)
        }
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        return Array(out.prefix(32))
    }

    /// The lower-case hex digest of `bytes`.
    public static func hex(_ bytes: some ContiguousBytes) -> String {
        Hex.encode(digest(bytes))
    }

    /// The lower-case hex digest of a string's UTF-8 bytes.
    public static func hex(_ string: String) -> String {
        hex(Array(string.utf8))
    }
}

extension SHA256 {
    /// Digests many byte strings in a row with one context: `EVP_Digest` allocates a context on every
    /// call. Not for use from two threads at once.
    public final class Hasher {
        private let context: OpaquePointer

        /// A hasher.
        public init() {
            guard let context = EVP_MD_CTX_new() else {
                preconditionFailure("libcrypto could not make a digest context")
            }
            self.context = context
        }

        deinit { EVP_MD_CTX_free(context) }

        /// Writes the 32-byte digest of `bytes` to `out` (at least 32 bytes), allocating nothing.
        public func digest(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
            precondition(out.count >= 32, "a SHA-256 digest is 32 bytes")
            var length: UInt32 = 0
            let ok = EVP_DigestInit_ex2(context, SHA256.algorithm, nil) == 1
                && EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1
                && EVP_DigestFinal_ex(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1
            precondition(ok && length == 32, "SHA-256 failed")
        }
    }
}

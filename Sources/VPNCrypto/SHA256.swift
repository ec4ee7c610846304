import Foundation
import CCrypto

/// SHA-256 from OpenSSL's libcrypto.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some ContiguousBytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, EVP_sha256(), nil)
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
    /// Whether `hex` is the lower-case hex digest of `bytes`: what `hex(bytes) == hex` says, without
    /// allocating (a state file checks one digest per pair).
    public static func hasHexDigest(_ bytes: UnsafeRawBufferPointer, hex: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hex.count == 64 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { out in
            var length: UInt32 = 0
            let ok = EVP_Digest(bytes.baseAddress, bytes.count, out.baseAddress, &length, EVP_sha256(), nil)
            precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
            let digits: StaticString = "0123456789abcdef"
            let d = digits.utf8Start
            for i in 0..<32 where hex[2 * i] != d[Int(out[i] >> 4)] || hex[2 * i + 1] != d[Int(out[i] & 0x0F)] {
                return false
            }
            return true
        }
    }
}

extension SHA256 {
    /// Digests many byte strings in a row, the algorithm looked up once and one context reused:
    /// `EVP_Digest` looks the algorithm up and allocates a context on every call, which costs a
    /// tenth of hashing a state's spec of 800 bytes. Not for use from two threads at once.
    public final class Hasher {
        private let context: OpaquePointer
        private let algorithm: OpaquePointer

        /// A hasher.
        public init() {
            guard let context = EVP_MD_CTX_new(), let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else {
                preconditionFailure("libcrypto has no SHA-256")
            }
            self.context = context
            self.algorithm = algorithm
        }

        deinit {
            EVP_MD_CTX_free(context)
            EVP_MD_free(algorithm)
        }

        /// Writes the 32-byte digest of `bytes` to `out` (at least 32 bytes), allocating nothing.
        public func digest(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
            precondition(out.count >= 32, "a SHA-256 digest is 32 bytes")
            var length: UInt32 = 0
            let ok = EVP_DigestInit_ex2(context, algorithm, nil) == 1
                && EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1
                && EVP_DigestFinal_ex(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1
            precondition(ok && length == 32, "SHA-256 failed")
        }
    }
}

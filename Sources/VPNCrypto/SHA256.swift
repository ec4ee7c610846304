import Foundation
import CCrypto

/// SHA-256 from OpenSSL's libcrypto.
public enum SHA256 {
    /// The algorithm, fetched from the default provider once: `EVP_sha256()` makes every
    /// `EVP_Digest` fetch it again (a few thousand instructions per call, which a state read makes
    /// once per pair). OpenSSL's fetched algorithms are immutable and may be shared between threads.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()

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
    /// Whether `hex` is the lower-case hex digest of `bytes`: what `hex(bytes) == hex` says, without
    /// allocating (a state file checks one digest per pair).
    public static func hasHexDigest(_ bytes: UnsafeRawBufferPointer, hex: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hex.count == 64 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { out in
            var length: UInt32 = 0
            let ok = EVP_Digest(bytes.baseAddress, bytes.count, out.baseAddress, &length, algorithm, nil)
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

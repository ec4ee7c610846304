import Foundation

/// Finding the end of a string in JSON bytes already known to be valid (a spec's canonical JSON),
/// with `memchr` rather than byte by byte: the writers of a plan skip every string of every spec.
enum CanonicalString {
    /// The index of the `"` that closes the string whose body starts at `start` (just after its
    /// opening quote): the first quote not escaped by an odd run of backslashes.
    static func end(in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let base = b.baseAddress!
        var from = start
        while true {
            guard let found = memchr(base + from, Int32(UInt8(ascii: "\"")), b.count - from) else {
                preconditionFailure("canonical JSON has no unterminated string")
            }
            let q = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            var backslashes = 0
            while q - backslashes - 1 >= start, b[q - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            if backslashes % 2 == 0 { return q }
            from = q + 1
        }
    }
}

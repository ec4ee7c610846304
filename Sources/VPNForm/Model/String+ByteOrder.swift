import Foundation

extension String {
    /// Whether `self` sorts before `other` by their UTF-8 bytes (the canonical order of spec keys
    /// and of pair addresses), with one `memcmp` rather than byte by byte.
    func precedesByBytes(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                let order = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }
}

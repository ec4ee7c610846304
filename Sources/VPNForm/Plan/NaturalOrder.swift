/// Orders text as people read numbered names: `site2` before `site10`.
public enum NaturalOrder {
    /// Whether `a` sorts before `b`: runs of digits compare by value, everything else by character.
    public static func less(_ a: String, _ b: String) -> Bool {
        var i = a.unicodeScalars[...], j = b.unicodeScalars[...]
        while let x = i.first, let y = j.first {
            if isDigit(x) && isDigit(y) {
                let m = i.prefix(while: isDigit), n = j.prefix(while: isDigit)
                let p = m.drop { $0 == "0" }, q = n.drop { $0 == "0" }
                if p.count != q.count { return p.count < q.count }
                if !p.elementsEqual(q) {
                    return String(String.UnicodeScalarView(p)) < String(String.UnicodeScalarView(q))
                }
                if m.count != n.count { return m.count < n.count }  // same value: fewer leading zeros first
                i = i.dropFirst(m.count)
                j = j.dropFirst(n.count)
                continue
            }
            if x != y { return x.value < y.value }
            i = i.dropFirst()
            j = j.dropFirst()
        }
        return i.isEmpty && !j.isEmpty
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
}

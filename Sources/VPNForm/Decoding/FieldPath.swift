/// Where a mapping sits in the file, as diagnostics name it (`gateways[0].connections[1]`), spelled
/// out only when a finding needs it.
///
/// Most mappings have no finding, and spelling out every connection's path cost more than reading the
/// connection. So the last two steps stay unspelled: `gateways[0]` plus (`connections`, 1) plus
/// (`tunnels`, 0) is values copied, not a string built. A step below that spells its parent out, which is rarer.
struct FieldPath {
    /// The part already spelled out.
    private let head: String
    /// The first step not yet spelled: `.key` (or just `key` at the top), empty for none.
    private let key: String
    /// `[index]` after ``key``; negative for none.
    private let index: Int
    /// A second step not yet spelled, after the first (a connection's `tunnels[0]`); empty for none.
    private let key2: String
    private let index2: Int

    /// A path spelled out already: `""` for the top level, `"defaults"`, `"gateways[3]"`.
    init(_ text: String) {
        self.init(head: text, key: "", index: -1)
    }

    private init(head: String, key: String, index: Int, key2: String = "", index2: Int = -1) {
        self.head = head
        self.key = key
        self.index = index
        self.key2 = key2
        self.index2 = index2
    }

    /// The path as diagnostics print it.
    var text: String {
        if key.isEmpty { return head }
        let first = Self.step(head, key, index)
        return key2.isEmpty ? first : Self.step(first, key2, index2)
    }

    /// The path of `key` under this one, and of its item `index` when given.
    func appending(_ key: String, index: Int = -1) -> FieldPath {
        if self.key.isEmpty { return FieldPath(head: head, key: key, index: index) }
        if key2.isEmpty { return FieldPath(head: head, key: self.key, index: self.index, key2: key, index2: index) }
        return FieldPath(head: text, key: key, index: index)
    }

    private static func step(_ path: String, _ key: String, _ index: Int) -> String {
        let keyed = NodeDecoder.join(path, key)
        return index < 0 ? keyed : "\(keyed)[\(index)]"
    }
}

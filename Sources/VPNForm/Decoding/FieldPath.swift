/// Where a mapping sits in the file, as diagnostics name it (`gateways[0].connections[1]`), spelled
/// out only when a finding needs it.
///
/// Most mappings have no finding, and spelling out every connection's path cost more than reading the
/// connection. So the last step stays unspelled: `gateways[0]` plus (`connections`, 1) is two values
/// copied, not a string built. A step below that spells its parent out, which is rarer.
struct FieldPath {
    /// The part already spelled out.
    private let head: String
    /// The last step, not yet spelled: `.key` (or just `key` at the top), empty for none.
    private let key: String
    /// `[index]` after ``key``; negative for none.
    private let index: Int

    /// A path spelled out already: `""` for the top level, `"defaults"`, `"gateways[3]"`.
    init(_ text: String) {
        head = text
        key = ""
        index = -1
    }

    private init(head: String, key: String, index: Int) {
        self.head = head
        self.key = key
        self.index = index
    }

    /// The path as diagnostics print it.
    var text: String {
        if key.isEmpty { return head }
        let keyed = NodeDecoder.join(head, key)
        return index < 0 ? keyed : "\(keyed)[\(index)]"
    }

    /// The path of `key` under this one, and of its item `index` when given.
    func appending(_ key: String, index: Int = -1) -> FieldPath {
        FieldPath(head: text, key: key, index: index)
    }
}

/// Renders a plan's drift (what changed outside vpnform) as text, the section Terraform calls
/// "Objects have changed outside of Terraform". Shared by the text and Markdown plans.
public struct DriftRenderer: Sendable {
    /// The command that imports a gateway's unmanaged connections.
    public var importCommand: @Sendable (GatewayID) -> String

    /// Creates a renderer.
    public init(importCommand: @escaping @Sendable (GatewayID) -> String = { "vpnform import --gateway \($0)" }) {
        self.importCommand = importCommand
    }

    /// The section's heading.
    public static let heading = "Changed outside vpnform"

    /// The section (heading, then one block a drift), or "" when there is none.
    public func render(_ drift: [Drift]) -> String {
        guard !drift.isEmpty else { return "" }
        var out = "\(Self.heading) (the live API differs from the state):\n"
        for d in drift { out += "\n" + render(d) }
        return out
    }

    /// One drift: a comment line, then `marker name = value` lines.
    public func render(_ d: Drift) -> String {
        let a = d.address?.rawValue ?? ""
        var out: String
        switch d.kind {
        case .deleted(let gone):
            out = "  # \(a): deleted outside vpnform; apply creates \(gone.count == 1 ? "it" : "them") again\n"
            for c in gone { out += "      - connection \"\(c.name)\" on \(c.vgwIP)\(c.id.map { " (\($0))" } ?? "")\n" }
        case .changed(let changes):
            out = "  # \(a) has changed outside vpnform (state -> live)\n"
            let width = changes.map(\.attribute.count).max() ?? 0
            for c in changes {
                let pad = String(repeating: " ", count: width - c.attribute.count)
                out += "      ~ \(c.attribute)\(pad) = \(c.old?.display ?? "(unset)") -> \(c.new?.display ?? "(unset)")\n"
            }
        case .adoptable(let found):
            out = "  # \(a) exists but is not in the state: apply adopts it instead of creating it\n"
            for c in found { out += "      connection \"\(c.name)\" on \(c.vgwIP) (\(c.id)), \(c.status)\n" }
        case .unmanaged(let c):
            out = "  # connection \"\(c.name)\" (\(c.id)) on gateway \(c.gatewayID) is not managed by vpnform\n"
            out += "      import it with: \(importCommand(c.gatewayID))\n"
        }
        return out
    }
}

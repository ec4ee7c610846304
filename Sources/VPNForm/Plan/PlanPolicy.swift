/// What an apply may do with a plan: `--target`, `--create-only`, and the guards against
/// destroying by mistake (octoDNS's safety thresholds are the model). Pure: plan and apply share it.
public struct PlanPolicy: Sendable, Equatable {
    /// `--target`: pair addresses (`hq/shanghai`) or gateway names (`hq`, all its pairs). Empty: every pair.
    public var targets: [String]
    /// `--create-only`: creates and recovers only; updates, replaces and deletes are left out.
    public var createOnly: Bool
    /// `--allow-mass-change`: lets a plan past the mass-change and empty-file guards.
    public var allowMassChange: Bool
    /// `--replace-psk`: pair addresses whose pre-shared key is sent again although its reference
    /// is unchanged (the value behind the same name changed, which no plan can see).
    public var replacePSK: [String] = []

    /// More than this share of the managed pairs deleted or replaced is a mass change…
    public static let massChangeShare = 0.3
    /// …once there are at least this many managed pairs.
    public static let massChangeMinimum = 10

    /// A policy; the default lets every entry through and keeps every guard.
    public init(targets: [String] = [], createOnly: Bool = false, allowMassChange: Bool = false) {
        self.targets = targets
        self.createOnly = createOnly
        self.allowMassChange = allowMassChange
    }

    /// Whether `address` is one of the targets (or there are none).
    public func targets(_ address: PairAddress) -> Bool {
        targets.isEmpty || targets.contains { $0 == address.rawValue || address.rawValue.hasPrefix($0 + "/") }
    }

    /// The plan with only the entries this policy lets apply carry out.
    public func scope(_ plan: Plan) -> Plan {
        var scoped = plan
        // Without targets or --create-only every entry stays: the plan's storage is shared, not copied
        // (a plan of 100,000 pairs is some tens of megabytes).
        if !targets.isEmpty || createOnly {
            scoped.entries.removeAll { e in
                !targets(e.address) || (createOnly && e.action != .create && e.action != .recover && e.action != .noop)
            }
        }
        for i in scoped.entries.indices where replacePSK.contains(scoped.entries[i].address.rawValue) {
            let e = scoped.entries[i]
            guard e.action == .noop || e.action == .update, !e.changes.contains(where: { $0.attribute == "psk" }),
                  let reference = e.desired?.spec.attributes["psk"] else { continue }
            scoped.entries[i].action = .update
            scoped.entries[i].changes.append(AttributeChange(attribute: "psk", old: reference, new: reference))
            scoped.entries[i].changes.sort { $0.attribute.utf8.lexicographicallyPrecedes($1.attribute.utf8) }
        }
        return scoped
    }

    /// Targets that name no pair of the plan (a typo would otherwise make a silent no-op).
    public func unknownTargets(in plan: Plan) -> [String] {
        targets.filter { t in
            !plan.entries.contains { $0.address.rawValue == t || $0.address.rawValue.hasPrefix(t + "/") }
        }
    }

    /// Why the (scoped) plan must not be applied; empty when it may.
    /// - Parameters:
    ///   - desired: The desired file (for `prevent_destroy`).
    ///   - managed: How many pairs the state holds.
    public func violations(_ plan: Plan, desired: DesiredState, managed: Int) -> [GuardViolation] {
        var found: [GuardViolation] = []
        var protected = Set<PairAddress>(), protectedGateways = Set<String>()
        for g in desired.gateways {
            if g.preventDestroy { protectedGateways.insert(g.name.value) }
            for c in g.connections where c.preventDestroy || g.preventDestroy { protected.insert(g.address(of: c)) }
        }
        // Entries are large values: each is read in place, not copied.
        var destroyed = 0
        for i in plan.entries.indices where plan.entries[i].action.destroys {
            destroyed += 1
            let (address, action) = (plan.entries[i].address, plan.entries[i].action)
            let gateway = String(address.rawValue.prefix { $0 != "/" })
            if protected.contains(address) || protectedGateways.contains(gateway) {
                found.append(.preventDestroy(address: address, action: action))
            }
        }
        guard !allowMassChange else { return found }
        if desired.pairCount == 0, destroyed > 0 {
            found.append(.emptyDesiredFile(deleted: destroyed))
        } else if managed >= Self.massChangeMinimum, Double(destroyed) > Self.massChangeShare * Double(managed) {
            found.append(.massChange(destroyed: destroyed, managed: managed))
        }
        return found
    }
}

/// A guard that refuses a plan.
public enum GuardViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// More than 30 % of at least 10 managed pairs would be deleted or replaced.
    case massChange(destroyed: Int, managed: Int)
    /// The desired file has no pairs, and the plan deletes what the state holds.
    case emptyDesiredFile(deleted: Int)
    /// A pair (or its gateway) has `prevent_destroy: true`, and the plan deletes or replaces it.
    case preventDestroy(address: PairAddress, action: PlanEntry.Action)

    public var description: String {
        switch self {
        case let .massChange(destroyed, managed):
            let share = Int((Double(destroyed) * 100 / Double(max(managed, 1))).rounded())
            return "the plan deletes or replaces \(destroyed) of \(managed) managed pairs (\(share) %, more than "
                + "\(Int(PlanPolicy.massChangeShare * 100)) %); nothing was changed. If that is intended, run again "
                + "with --allow-mass-change"
        case .emptyDesiredFile(let deleted):
            return "the desired file has no pairs: the plan would delete all \(deleted) managed pairs; nothing was "
                + "changed. If that is intended, run again with --allow-mass-change"
        case let .preventDestroy(address, action):
            let verb = action == .replace ? "replace" : "delete"
            return "\(address) has prevent_destroy: true, and the plan would \(verb) it; "
                + "remove prevent_destroy (or the change that forces it) first"
        }
    }
}

import Foundation

/// Checks a decoded ``DesiredState`` against every rule the Huawei VPN API documents, before any
/// call is made: formats, list limits, cross-field rules, duplicates and derived API names.
public struct Validator: Sendable {
    /// Regions in Huawei's VPN SDK (`VpnRegion`); another region gets a warning, not an error.
    public static let knownRegions: Set<String> = [
        "cn-north-4", "cn-north-1", "cn-east-2", "cn-east-3", "cn-south-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-1", "ap-southeast-4", "sa-brazil-1", "la-south-2", "la-north-2", "cn-north-9", "cn-southwest-2",
        "ae-ad-1", "eu-west-101", "tr-west-1", "na-mexico-1", "me-east-1", "cn-east-5", "af-south-1", "ru-moscow-1",
        "cn-south-4", "cn-north-12", "cn-east-4", "cn-southwest-3", "cn-south-2", "cn-north-2", "cn-north-11",
        "ap-southeast-5", "af-north-1",
    ]

    /// Creates a validator.
    public init() {}

    /// Every finding about `state`, which was read from `file`.
    public func validate(_ state: DesiredState, file: String) -> [Diagnostic] {
        var run = ValidationRun(findings: Findings(file: file))
        run.check(state)
        return run.findings.list
    }
}

/// One validation pass; collects findings.
private struct ValidationRun {
    var findings: Findings

    // Paths are built only for a finding: most values have none.
    mutating func error(_ path: @autoclosure () -> String, _ mark: Mark, _ message: String) { findings.error(path(), mark, message) }
    mutating func warning(_ path: @autoclosure () -> String, _ mark: Mark, _ message: String) { findings.warning(path(), mark, message) }

    mutating func rule(_ path: @autoclosure () -> String, _ mark: Mark, _ message: String?) {
        if let message { error(path(), mark, message) }
    }

    mutating func check(_ state: DesiredState) {
        if let p = state.projectID { rule("project_id", p.mark, FormatRules.projectID(p.value)) }
        if let r = state.region {
            if let message = FormatRules.region(r.value) {
                error("region", r.mark, message)
            } else if state.endpoint == nil, !Validator.knownRegions.contains(r.value) {
                let hint = Suggestion.hint(for: r.value, in: Validator.knownRegions.sorted())
                warning("region", r.mark, "\"\(r.value)\" is not a region Huawei's VPN SDK lists\(hint); "
                    + "set endpoint if https://vpn.\(r.value).myhuaweicloud.com is wrong")
            }
        } else if state.endpoint == nil {
            error("region", state.mark, "required field is missing (or set endpoint)")
        }
        if let e = state.endpoint { rule("endpoint", e.mark, EndpointRule.problem(e.value)) }
        withUnsafePointer(to: state.defaults) { checkOwnFields($0, "defaults") }

        // Duplicate finders are sized up front: growing one rehashes every key seen so far.
        var gatewayNames = [String: Mark](minimumCapacity: state.gateways.count)
        var gatewayIDs = [GatewayID: Mark](minimumCapacity: state.gateways.count)
        var ips = [String: Mark](minimumCapacity: state.gateways.count * 2)
        for g in state.gateways {
            let path = g.path
            if let m = FormatRules.handle(g.name.value) { error("\(path).name", g.name.mark, m) }
            else if let first = gatewayNames.updateValue(g.name.mark, forKey: g.name.value) {
                gatewayNames[g.name.value] = first
                error("\(path).name", g.name.mark, "duplicate gateway name \"\(g.name.value)\" (first at \(first))")
            }
            if let m = FormatRules.uuid(g.id.value.rawValue) { error("\(path).id", g.id.mark, m) }
            else if let first = gatewayIDs.updateValue(g.id.mark, forKey: g.id.value) {
                gatewayIDs[g.id.value] = first
                error("\(path).id", g.id.mark, "duplicate gateway id \(g.id.value) (first at \(first))")
            }
            if !(1...2).contains(g.ips.value.count) {
                error("\(path).ips", g.ips.mark, "expected 1 or 2 entries, got \(g.ips.value.count)")
            }
            for (i, ip) in g.ips.value.enumerated() {
                if let m = FormatRules.gatewayIP(ip.value) { error("\(path).ips[\(i)]", ip.mark, m) }
                else if case let key = ip.value.lowercased(), let first = ips.updateValue(ip.mark, forKey: key) {
                    ips[key] = first
                    error("\(path).ips[\(i)]", ip.mark, "duplicate IP \(ip.value) (first at \(first))")
                }
            }
            checkConnections(of: g)
        }
    }

    mutating func checkConnections(of g: Gateway) {
        var names = [String: Mark](minimumCapacity: g.connections.count)
        var apiNames = [String: Mark](minimumCapacity: g.connections.count * g.ips.value.count)
        let gatewayPath = g.path
        let gatewayIsHandle = FormatRules.isHandle(g.name.value)
        // By index: `contains` on the connections copied each one out of the array.
        let anyNameOverride = g.connections.indices.contains {
            g.connections[$0].tunnels?.value.contains { $0.name != nil } ?? false
        }
        // Each connection is read in place through a pointer: `for c in g.connections`, or passing
        // `g.connections[i]`, copied every connection (a retain and a release of each reference it holds).
        g.connections.withUnsafeBufferPointer { connections in
            for i in connections.indices {
                check(connections.baseAddress! + i, of: g, gatewayPath: gatewayPath, gatewayIsHandle: gatewayIsHandle,
                      anyNameOverride: anyNameOverride, names: &names, apiNames: &apiNames)
            }
        }
    }

    /// The rules of one connection of `g`; `names` and `apiNames` are the gateway's duplicate finders.
    mutating func check(_ c: UnsafePointer<Connection>, of g: Gateway, gatewayPath: String, gatewayIsHandle: Bool,
                        anyNameOverride: Bool, names: inout [String: Mark], apiNames: inout [String: Mark]) {
        // Spelled out only for a finding: most connections have none. (It captures the index,
        // not the connection: capturing the connection copied it for every rule.)
        let index = c.pointee.index
        func path() -> String { "\(gatewayPath).connections[\(index)]" }
        let nameProblem = FormatRules.handle(c.pointee.name.value)
        var firstWithName: Mark?
        if let m = nameProblem { error("\(path()).name", c.pointee.name.mark, m) }
        else if let first = names.updateValue(c.pointee.name.mark, forKey: c.pointee.name.value) {
            names[c.pointee.name.value] = first
            firstWithName = first
            error("\(path()).name", c.pointee.name.mark,
                  "duplicate connection name \"\(c.pointee.name.value)\" (first at \(first))")
        }
        // In place too: passing `c.pointee.fields` copied them.
        let fields = c.pointer(to: \.fields)!
        checkOwnFields(fields, path())
        checkSpec(c, of: g, path())
        guard nameProblem == nil, gatewayIsHandle else { return }
        guard anyNameOverride else {
            checkDerivedAPINames(of: c, in: g, firstWithName: firstWithName, path())
            return
        }
        for (i, apiName) in g.apiNames(of: c.pointee).enumerated() {
            let isOverride = c.pointee.tunnels.map { i < $0.value.count && $0.value[i].name != nil } ?? false
            func namePath() -> String { isOverride ? "\(path()).tunnels[\(i)].name" : "\(path()).name" }
            if apiName.value.utf8.count > 64 {
                error(namePath(), apiName.mark, "API connection name \"\(apiName.value)\" is longer than 64 characters; set tunnels[\(i)].name")
            } else if let m = FormatRules.handle(apiName.value) {
                error(namePath(), apiName.mark, m)
            } else if let first = apiNames.updateValue(apiName.mark, forKey: apiName.value) {
                apiNames[apiName.value] = first
                error(namePath(), apiName.mark, "duplicate API connection name \"\(apiName.value)\" in gateway \(g.name.value) (first at \(first))")
            }
        }
    }

    /// The rules of the API names of a connection whose gateway overrides none (`GATEWAY-CONNECTION-N`
    /// throughout), without making the names: both handles are valid, so a name is a valid handle
    /// unless it is too long; and since `N` is the part after the last `-`, two names are the same
    /// only for two connections of the same name (`firstWithName`, the first one's position, which
    /// is where its API names were first seen).
    mutating func checkDerivedAPINames(of c: UnsafePointer<Connection>, in g: Gateway, firstWithName: Mark?,
                                       _ path: @autoclosure () -> String) {
        let stem = g.name.value.utf8.count + 1 + c.pointee.name.value.utf8.count + 1
        for i in g.ips.value.indices {
            let n = i + 1
            let digits = n < 10 ? 1 : String(n).utf8.count
            guard stem + digits > 64 || firstWithName != nil else { continue }
            let apiName = "\(g.name.value)-\(c.pointee.name.value)-\(n)"
            if stem + digits > 64 {
                error("\(path()).name", c.pointee.name.mark,
                      "API connection name \"\(apiName)\" is longer than 64 characters; set tunnels[\(i)].name")
            } else if let first = firstWithName {
                error("\(path()).name", c.pointee.name.mark,
                      "duplicate API connection name \"\(apiName)\" in gateway \(g.name.value) (first at \(first))")
            }
        }
    }

    /// Rules of values as written (on a connection, or once in `defaults`).
    mutating func checkOwnFields(_ f: UnsafePointer<ConnectionFields>, _ path: @autoclosure () -> String) {
        if let id = f.pointee.cgwID { rule("\(path()).cgw_id", id.mark, FormatRules.uuid(id.value.rawValue)) }
        if let subnets = f.pointee.peerSubnets {
            checkSubnetList(subnets, "\(path()).peer_subnets", limit: 50)
        }
        if let a = f.pointee.tunnelLocalAddress {
            rule("\(path()).tunnel_local_address", a.mark, FormatRules.tunnelAddress(a.value))
        }
        if let a = f.pointee.tunnelPeerAddress {
            rule("\(path()).tunnel_peer_address", a.mark, FormatRules.tunnelAddress(a.value))
        }
        if let psk = f.pointee.psk, case .literal(let secret) = psk.value {
            rule("\(path()).psk", psk.mark, FormatRules.literalPSK(secret.revealed))
        }
        if let rules = f.pointee.policyRules {
            func rpath() -> String { "\(path()).policy_rules" }
            if rules.value.count > 5 { error(rpath(), rules.mark, "at most 5 entries allowed, got \(rules.value.count)") }
            if rules.value.isEmpty { error(rpath(), rules.mark, "at least 1 entry required") }
            var sources = [String: Mark](minimumCapacity: rules.value.count)
            for (i, r) in rules.value.enumerated() {
                if let s = r.source {
                    if let m = FormatRules.subnet(s.value) { error("\(rpath())[\(i)].source", s.mark, m) }
                    else if let first = sources.updateValue(s.mark, forKey: s.value) {
                        sources[s.value] = first
                        error("\(rpath())[\(i)].source", s.mark, "duplicate policy source \(s.value) (first at \(first))")
                    }
                }
                if let d = r.destination { checkSubnetList(d, "\(rpath())[\(i)].destination", limit: 50) }
            }
        }
        if let tags = f.pointee.tags {
            func tpath() -> String { "\(path()).tags" }
            if tags.value.count > 20 { error(tpath(), tags.mark, "at most 20 entries allowed, got \(tags.value.count)") }
            for t in tags.value {
                func kpath() -> String { "\(tpath()).\(t.key.value)" }
                let allowed = "(letters, digits, space and _ . : = + - @)"
                // Characters are never more than UTF-8 bytes: most tags need no character count.
                let key = t.key.value, value = t.value.value
                if !(1...128).contains(key.utf8.count), !(1...128).contains(key.count) {
                    error(kpath(), t.key.mark, "expected 1-128 characters in a tag key, got \(key.count)")
                } else if !FormatRules.tagText(key) {
                    error(kpath(), t.key.mark, "contains a character that is not allowed in a tag key \(allowed)")
                }
                if value.utf8.count > 255, value.count > 255 {
                    error(kpath(), t.value.mark, "at most 255 characters in a tag value, got \(value.count)")
                } else if !FormatRules.tagText(value) {
                    error(kpath(), t.value.mark, "contains a character that is not allowed in a tag value \(allowed)")
                }
            }
        }
        if let ike = f.pointee.ikePolicy {
            func ipath() -> String { "\(path()).ikepolicy" }
            if let a = ike.authenticationAlgorithm, a.value.isWeak { warning("\(ipath()).authentication_algorithm", a.mark, "\(a.value.rawValue) is weak; prefer sha2-256 or stronger") }
            if let g = ike.dhGroup, g.value.isWeak { warning("\(ipath()).dh_group", g.mark, "\(g.value.rawValue) is weak; prefer group15 or stronger") }
        }
        if let a = f.pointee.ipsecPolicy?.authenticationAlgorithm, a.value.isWeak {
            warning("\(path()).ipsecpolicy.authentication_algorithm", a.mark, "\(a.value.rawValue) is weak; prefer sha2-256 or stronger")
        }
    }

    mutating func checkSubnetList(_ list: Located<[Located<String>]>, _ path: @autoclosure () -> String, limit: Int) {
        if list.value.count > limit { error(path(), list.mark, "at most \(limit) entries allowed, got \(list.value.count)") }
        if list.value.isEmpty { error(path(), list.mark, "at least 1 entry required") }
        let subnets = list.value
        guard subnets.count > 16 else {
            // A short list (nearly all have one or two entries) is searched in place: a dictionary was an
            // allocation and a hash per entry. `kept` marks the entries a dictionary would have held.
            var kept: UInt16 = 0
            for (i, s) in subnets.enumerated() {
                if let m = FormatRules.subnet(s.value) { error("\(path())[\(i)]", s.mark, m); continue }
                if let first = (0..<i).first(where: { kept & (1 << $0) != 0 && subnets[$0].value == s.value }) {
                    error("\(path())[\(i)]", s.mark, "duplicate subnet \(s.value) (first at \(subnets[first].mark))")
                } else {
                    kept |= 1 << i
                }
            }
            return
        }
        var seen = [String: Mark](minimumCapacity: subnets.count)
        for (i, s) in subnets.enumerated() {
            if let m = FormatRules.subnet(s.value) { error("\(path())[\(i)]", s.mark, m) }
            else if let first = seen.updateValue(s.mark, forKey: s.value) {
                seen[s.value] = first
                error("\(path())[\(i)]", s.mark, "duplicate subnet \(s.value) (first at \(first))")
            }
        }
    }

    /// Cross-field rules of a connection's effective settings (its own fields over `defaults`).
    mutating func checkSpec(_ c: UnsafePointer<Connection>, of g: Gateway, _ path: @autoclosure () -> String) {
        let style = c.pointee.spec.effectiveStyle
        let inherited = " (set in defaults)"
        func origin(_ own: Any?) -> String { own == nil ? inherited : "" }

        let unreadable = c.pointee.spec.unreadable
        // Nearly always empty: then no key is hashed to find that out.
        func isUnreadable(_ key: String) -> Bool { !unreadable.isEmpty && unreadable.contains(key) }
        if c.pointee.spec.cgwID == nil, !isUnreadable("cgw_id") {
            error("\(path()).cgw_id", c.pointee.mark, "required field is missing")
        }
        if c.pointee.spec.psk == nil, !isUnreadable("psk") {
            error("\(path()).psk", c.pointee.mark, "required field is missing")
        }
        // With an unreadable style every style rule would be a guess; the style error says enough.
        guard !isUnreadable("style") else { return }
        if style == .static, c.pointee.spec.peerSubnets == nil, !isUnreadable("peer_subnets") {
            error("\(path()).peer_subnets", c.pointee.mark,
                  "required field is missing (required for style static)")
        }
        if let v = c.pointee.spec.enableNQA, style != .static {
            error("\(path()).enable_nqa", v.mark,
                  "enable_nqa is only allowed with style static, not \(style.rawValue)"
                  + origin(c.pointee.fields.enableNQA))
        }
        if let v = c.pointee.spec.enableHub, style != .bgp {
            error("\(path()).enable_hub", v.mark,
                  "enable_hub is only allowed with style bgp, not \(style.rawValue)"
                  + origin(c.pointee.fields.enableHub))
        }
        if style == .policy {
            if c.pointee.spec.policyRules == nil, !isUnreadable("policy_rules") {
                error("\(path()).policy_rules", c.pointee.mark, "required when style is policy")
            }
        } else if let rules = c.pointee.spec.policyRules {
            error("\(path()).policy_rules", rules.mark,
                  "policy_rules is only allowed with style policy, not \(style.rawValue)"
                  + origin(c.pointee.fields.policyRules))
        }
        if let ike = c.pointee.spec.ikePolicy {
            func ipath() -> String { "\(path()).ikepolicy" }
            if let mode = ike.phase1NegotiationMode, (ike.ikeVersion?.value ?? .v2) == .v2 {
                warning("\(ipath()).phase1_negotiation_mode", mode.mark, "phase1_negotiation_mode only applies to ike_version v1")
            }
            // Most policies set neither id: then no list of the two is made.
            if ike.localID != nil || ike.peerID != nil {
                for (key, id, type) in [("local_id", ike.localID, ike.localIDType), ("peer_id", ike.peerID, ike.peerIDType)] {
                    guard let id else { continue }
                    if (type?.value ?? .ip) == .ip, IPv4Address(id.value) == nil {
                        error("\(ipath()).\(key)", id.mark, "expected an IPv4 address (\(key)_type is ip), got \"\(NodeDecoder.clip(id.value))\"")
                    } else if !(1...255).contains(id.value.count) {
                        error("\(ipath()).\(key)", id.mark, "expected 1-255 characters, got \(id.value.count)")
                    }
                }
            }
        }
        checkTunnels(c, of: g, path(), style: style)
    }

    mutating func checkTunnels(_ c: UnsafePointer<Connection>, of g: Gateway, _ path: @autoclosure () -> String,
                               style: ConnectionStyle) {
        let tunnels = c.pointee.tunnels?.value ?? []
        if let t = c.pointee.tunnels, t.value.count != g.ips.value.count {
            let n = g.ips.value.count
            error("\(path()).tunnels", t.mark, "expected \(n) \(n == 1 ? "entry" : "entries"), one per gateway IP, got \(t.value.count)")
        }
        for (i, t) in tunnels.enumerated() {
            func tpath() -> String { "\(path()).tunnels[\(i)]" }
            if let n = t.name { rule("\(tpath()).name", n.mark, FormatRules.handle(n.value)) }
            if let a = t.tunnelLocalAddress { rule("\(tpath()).tunnel_local_address", a.mark, FormatRules.tunnelAddress(a.value)) }
            if let a = t.tunnelPeerAddress { rule("\(tpath()).tunnel_peer_address", a.mark, FormatRules.tunnelAddress(a.value)) }
        }
        // The effective address pair of each per-IP connection: the tunnel entry's, else the connection's
        // (one slot without a tunnel entry when there are none; no array is made for it).
        for i in 0..<Swift.max(tunnels.count, 1) {
            let t: Tunnel? = tunnels.isEmpty ? nil : tunnels[i]
            let local = t?.tunnelLocalAddress ?? c.pointee.spec.tunnelLocalAddress
            let peer = t?.tunnelPeerAddress ?? c.pointee.spec.tunnelPeerAddress
            func at() -> String { t?.tunnelLocalAddress != nil || t?.tunnelPeerAddress != nil ? "\(path()).tunnels[\(i)]" : path() }
            if style == .policy {
                if let a = local ?? peer {
                    let key = local != nil ? "tunnel_local_address" : "tunnel_peer_address"
                    error("\(at()).\(key)", a.mark, "tunnel addresses are only allowed with style static or bgp, not policy")
                }
                continue
            }
            switch (local, peer) {
            case let (l?, p?):
                // `nil` too when either address is wrong on its own (reported above).
                rule("\(at()).tunnel_peer_address", p.mark,
                     FormatRules.tunnelPairOfValid(local: l.value, peer: p.value))
            case let (l?, nil):
                error("\(at()).tunnel_local_address", l.mark, "tunnel_local_address and tunnel_peer_address go together; tunnel_peer_address is missing")
            case let (nil, p?):
                error("\(at()).tunnel_peer_address", p.mark, "tunnel_local_address and tunnel_peer_address go together; tunnel_local_address is missing")
            case (nil, nil):
                break
            }
        }
    }
}

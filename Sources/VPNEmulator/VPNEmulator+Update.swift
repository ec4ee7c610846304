import Foundation
import VPNAPI

// `PUT /v5/{project_id}/vpn-connection/{id}` and the connection tag API.
extension VPNEmulator {
    /// Attributes a connection has that an update may not change: the API answers 400 naming one.
    static let fixedKeys: Set<String> = ["vgw_id", "vgw_ip", "style", "ha_role", "enable_nqa", "tags"]

    /// Changes the updatable attributes of a connection. While `settle` runs the connection is
    /// `PENDING_UPDATE`, and another update is refused with 409 `VPN.0306`.
    func update(_ request: EmulatorRequest, _ id: String, _ project: String, _ requestID: String) -> EmulatorReply {
        guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let item = object["vpn_connection"] as? [String: Any] else {
            return error(400, "VPN.0001", "invalid request: the body must be an object with a vpn_connection object",
                         requestID)
        }
        for key in item.keys.sorted() where !UpdateVPNConnection.updatableKeys.contains(key) {
            if Self.fixedKeys.contains(key) {
                return error(400, "VPN.0001", "invalid request: vpn_connection.\(key) cannot be updated", requestID)
            }
            return error(400, "VPN.0013", "unsupported attribute: vpn_connection.\(key)", requestID)
        }
        if let ike = item["ikepolicy"] as? [String: Any], ike["authentication_method"] != nil {
            let message = "invalid request: vpn_connection.ikepolicy.authentication_method cannot be updated"
            return error(400, "VPN.0001", message, requestID)
        }
        let body: UpdateConnectionRequest
        do {
            body = try JSONDecoder().decode(UpdateConnectionRequest.self, from: Data(request.body))
        } catch {
            return self.error(400, "VPN.0001", "invalid request: \(Self.decodingProblem(error))", requestID)
        }
        let change = body.vpnConnection
        if let name = change.name, name.isEmpty || name.count > 64 {
            return error(400, "VPN.0001", "invalid request: name: \"\(name)\" must be 1-64 characters", requestID)
        }
        let now = nowMillis, settleMillis = Self.millis(configuration.settle)
        let outcome: (VPNConnection?, EmulatorReply?) = state.withLock { s in
            guard var stored = s.store.connections[id], stored.projectID == project else {
                return (nil, error(404, "VPN.0004", "The VPN connection \(id) does not exist", requestID))
            }
            stored.settleIfDue(atMillis: now)
            let status = stored.connection.status ?? "DOWN"
            guard !status.hasPrefix("PENDING_") else {
                let message = "The VPN connection \(id) is in status \(status) and cannot be updated"
                return (nil, error(409, "VPN.0306", message, requestID))
            }
            var c = stored.connection
            if let v = change.name { c.name = v }
            if let v = change.cgwID { c.cgwID = v }
            if let v = change.peerSubnets { c.peerSubnets = v }
            if let v = change.tunnelLocalAddress { c.tunnelLocalAddress = v }
            if let v = change.tunnelPeerAddress { c.tunnelPeerAddress = v }
            if let v = change.enableHub { c.enableHub = v }
            if let v = change.policyRules { c.policyRules = v }
            if let v = change.ikepolicy { c.ikepolicy = Self.merged(c.ikepolicy, v) }
            if let v = change.ipsecpolicy { c.ipsecpolicy = Self.merged(c.ipsecpolicy, v) }
            c.updatedAt = ConnectionDefaults.timestamp(now)
            let answer = c
            if settleMillis > 0 {
                c.status = "PENDING_UPDATE"
                stored.settle = StoredConnection.Settle(atMillis: now + settleMillis, status: status)
            }
            stored.connection = c
            s.store.insert(stored)
            try? s.store.persist()
            return (answer, nil)
        }
        guard let c = outcome.0 else { return outcome.1! }
        return json(200, UpdateConnectionResponse(vpnConnection: c, requestID: requestID), requestID)
    }

    /// `POST …/tags/create` (adds or replaces by key) and `…/tags/delete` (removes by key).
    func tags(_ request: EmulatorRequest, _ id: String, _ project: String, create: Bool,
              _ requestID: String) -> EmulatorReply {
        let body: TagsRequest
        do {
            body = try JSONDecoder().decode(TagsRequest.self, from: Data(request.body))
        } catch {
            return self.error(400, "VPN.0001", "invalid request: \(Self.decodingProblem(error))", requestID)
        }
        let found: Bool = state.withLock { s in
            guard var stored = s.store.connections[id], stored.projectID == project else { return false }
            var tags = stored.connection.tags ?? []
            let keys = Set(body.tags.map(\.key))
            tags.removeAll { keys.contains($0.key) }
            if create { tags += body.tags }
            stored.connection.tags = tags.sorted { $0.key < $1.key }
            s.store.insert(stored)
            try? s.store.persist()
            return true
        }
        guard found else { return error(404, "VPN.0004", "The VPN connection \(id) does not exist", requestID) }
        return .respond(status: 204, headers: ["X-Request-Id": requestID], body: [])
    }

    /// `GET …/vpn-connection/{id}/tags`.
    func listTags(_ id: String, _ project: String, _ requestID: String) -> EmulatorReply {
        let tags: [ResourceTag]? = state.withLock { s in
            guard let stored = s.store.connections[id], stored.projectID == project else { return nil }
            return stored.connection.tags ?? []
        }
        guard let tags else { return error(404, "VPN.0004", "The VPN connection \(id) does not exist", requestID) }
        return json(200, ListTagsResponse(tags: tags, requestID: requestID), requestID)
    }

    /// `old` with every field `new` sets.
    static func merged(_ old: IKEPolicy?, _ new: IKEPolicy) -> IKEPolicy {
        var p = old ?? IKEPolicy()
        if let v = new.ikeVersion { p.ikeVersion = v }
        if let v = new.phase1NegotiationMode { p.phase1NegotiationMode = v }
        if let v = new.authenticationAlgorithm { p.authenticationAlgorithm = v }
        if let v = new.encryptionAlgorithm { p.encryptionAlgorithm = v }
        if let v = new.dhGroup { p.dhGroup = v }
        if let v = new.lifetimeSeconds { p.lifetimeSeconds = v }
        if let v = new.localIDType { p.localIDType = v }
        if let v = new.localID { p.localID = v }
        if let v = new.peerIDType { p.peerIDType = v }
        if let v = new.peerID { p.peerID = v }
        if let v = new.dpd {
            var d = p.dpd ?? DPD()
            if let x = v.timeout { d.timeout = x }
            if let x = v.interval { d.interval = x }
            if let x = v.msg { d.msg = x }
            p.dpd = d
        }
        return p
    }

    /// `old` with every field `new` sets.
    static func merged(_ old: IPsecPolicy?, _ new: IPsecPolicy) -> IPsecPolicy {
        var p = old ?? IPsecPolicy()
        if let v = new.authenticationAlgorithm { p.authenticationAlgorithm = v }
        if let v = new.encryptionAlgorithm { p.encryptionAlgorithm = v }
        if let v = new.pfs { p.pfs = v }
        if let v = new.transformProtocol { p.transformProtocol = v }
        if let v = new.lifetimeSeconds { p.lifetimeSeconds = v }
        if let v = new.encapsulationMode { p.encapsulationMode = v }
        return p
    }
}

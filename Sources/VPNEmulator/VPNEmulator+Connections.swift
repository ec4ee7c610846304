import VPNAPI

// Changes to stored connections made behind the API's back, as a console user would make them:
// tests use them to make drift.
extension VPNEmulator {
    /// Edits a stored connection (its status, subnets, policies, name, gateway…). A pending status
    /// change that is due is applied first; one still pending is dropped if the edit sets the status.
    /// - Parameters:
    ///   - id: The connection's id.
    ///   - change: The edit; a change of `id` is ignored.
    /// - Returns: Whether the connection exists.
    @discardableResult
    public func updateConnection(id: String, _ change: (inout VPNConnection) -> Void) -> Bool {
        let now = nowMillis
        return state.withLock { s in
            guard var stored = s.store.connections[id] else { return false }
            stored.settleIfDue(atMillis: now)
            let status = stored.connection.status
            change(&stored.connection)
            stored.connection.id = id
            if stored.connection.status != status { stored.settle = nil }
            s.store.insert(stored)
            try? s.store.persist()
            return true
        }
    }

    /// Deletes a stored connection without a request.
    /// - Returns: Whether it existed.
    @discardableResult
    public func removeConnection(id: String) -> Bool {
        state.withLock { s in
            guard s.store.remove(id) != nil else { return false }
            try? s.store.persist()
            return true
        }
    }
}

import Foundation
import VPNAPI
import VPNForm

// Update in place and delete, in the create's shape: the intent journalled (`updating`,
// `deleting`) before the first call, one call at a time with a closed set of outcomes, and an
// interrupted run resumed by the next apply (PUT and DELETE are safe to send again).
extension Executor {
    /// One PUT per connection with the desired updatable attributes, then the tag API, then
    /// `created` with the desired spec.
    func update(_ entry: PlanEntry, model: (Gateway, Connection)?, started: Date) async -> PairOutcome {
        let address = entry.address
        func outcome(_ result: PairOutcome.Result, _ connections: [ConnectionRecord] = []) -> PairOutcome {
            PairOutcome(address: address, result: result, connections: connections,
                        seconds: Date().timeIntervalSince(started))
        }
        guard let (gateway, connection) = model, let pair = entry.desired, let have = entry.current,
              have.connections.count == pair.connections.count else {
            return outcome(.failed(PairFailure("not updatable: its connections do not match the file's gateway ips")))
        }
        let records = zip(have.connections, pair.connections).map {
            ConnectionRecord(id: $0.id, name: $1.name, vgwIP: $1.vgwIP, createdAt: $0.createdAt)
        }
        let ids = records.compactMap(\.id)
        guard ids.count == records.count else {
            return outcome(.failed(PairFailure("a connection has no recorded id")))
        }
        let rotate = entry.needsKey || replacePSK.contains(address)
        guard !rotate || psks[address] != nil else {
            return outcome(.failed(PairFailure("no pre-shared key resolved")))
        }
        var intent = PairState.created(pair, connections: records)
        intent.status = .updating
        do {
            try await writer.put(address, intent)
        } catch {
            return outcome(.failed(PairFailure(
                "could not record the update before sending it: \(error); nothing was sent")))
        }
        let bodies = BatchCreateRequest(gateway: gateway, connection: connection, psk: psks[address] ?? Secret("-"))
        for (i, id) in ids.enumerated() {
            let body = UpdateVPNConnection(bodies.vpnConnections[i], sendingKey: rotate)
            do {
                _ = try await client.updateConnection(id: id.rawValue, body)
            } catch {
                return outcome(.failed(PairFailure(
                    "the update of \(id) failed: \(error); the pair stays updating and the next apply sends it again",
                    error: error)))
            }
        }
        let oldTags = Self.tags(have.spec), newTags = Self.tags(pair.spec)
        if oldTags != newTags || have.status == .updating {
            let removed = oldTags.keys.filter { newTags[$0] == nil }.sorted()
                .map { ResourceTag(key: $0, value: oldTags[$0]!) }
            let added = newTags.keys.sorted().map { ResourceTag(key: $0, value: newTags[$0]!) }
            for id in ids {
                do {
                    if !removed.isEmpty { try await client.deleteTags(connectionID: id.rawValue, removed) }
                    if !added.isEmpty { try await client.createTags(connectionID: id.rawValue, added) }
                } catch {
                    return outcome(.failed(PairFailure(
                        "the tags of \(id) could not be changed: \(error); the pair stays updating and the next apply "
                            + "sends the update again", error: error)))
                }
            }
        }
        if let failure = await record(address, pair, records) { return outcome(.failed(PairFailure(failure))) }
        return outcome(.updated, records)
    }

    /// Tag key → value of a spec.
    static func tags(_ spec: PairSpec) -> [String: String] {
        guard case .object(let o)? = spec.attributes["tags"] else { return [:] }
        return o.compactMapValues { if case .string(let s) = $0 { return s } else { return nil } }
    }

    /// Deletes the pair's connections and removes it from the state.
    func delete(_ entry: PlanEntry, started: Date) async -> PairOutcome {
        let address = entry.address
        func outcome(_ result: PairOutcome.Result) -> PairOutcome {
            PairOutcome(address: address, result: result, connections: [], seconds: Date().timeIntervalSince(started))
        }
        guard let have = entry.current else { return outcome(.failed(PairFailure("not in the state"))) }
        switch await deleteConnections(address, have) {
        case .failure(let failure): return outcome(.failed(failure))
        case .success(let found):
            do {
                try await writer.put(address, nil)
            } catch {
                return outcome(.failed(PairFailure(
                    "deleted, but the state could not be written: \(error); the next apply finds them gone")))
            }
            return outcome(.deleted(found: found))
        }
    }

    /// Journals `deleting`, then deletes every connection of `have` that exists (a pending pair's
    /// are looked for by name first); a 404 counts as deleted. Returns how many were deleted.
    func deleteConnections(_ address: PairAddress, _ have: PairState) async -> Result<Int, PairFailure> {
        var records = have.connections
        if have.status == .pending {
            do {
                let found = try await find(have.connections, gatewayID: have.gatewayID, useLive: live != nil)
                for i in records.indices { records[i].id = found[i]?.id }
            } catch {
                return .failure(PairFailure("could not look for its connections: \(error); nothing was deleted",
                                            error: error.apiError))
            }
        }
        var intent = have
        intent.connections = records
        intent.status = .deleting
        do {
            try await writer.put(address, intent)
        } catch {
            return .failure(PairFailure("could not record the delete before sending it: \(error); nothing was deleted"))
        }
        var deleted = 0
        for id in records.compactMap(\.id) {
            do {
                try await client.deleteConnection(id: id.rawValue)
                deleted += 1
            } catch .api(let body) where body.status == 404 {
                // Gone already: deleted by an earlier attempt whose answer was lost, or by hand.
                deleted += 1
            } catch {
                return .failure(PairFailure(
                    "the delete of \(id) failed: \(error); it stays deleting and the next apply deletes the rest",
                    error: error))
            }
        }
        return .success(deleted)
    }

    /// Waits until none of `ids` is listed any more (a connection can stay `PENDING_DELETE` for a
    /// while, and keeps its name and tunnel addresses until it goes).
    func waitGone(_ ids: [ConnectionID], gatewayID: GatewayID) async -> PairFailure? {
        var pause = 0.05
        for _ in 0..<200 {
            let listed: [VPNConnection]
            do { listed = try await client.listConnections(vgwID: gatewayID.rawValue) } catch {
                return PairFailure("could not check that its old connections are gone: \(error)", error: error)
            }
            let remaining = Set(listed.map(\.id))
            if !ids.contains(where: { remaining.contains($0.rawValue) }) { return nil }
            try? await Task.sleep(for: .seconds(pause))
            pause = min(pause * 2, 5)
        }
        return PairFailure("its old connections are still being deleted; the next apply creates it again")
    }
}

import VPNAPI

/// One stored connection and the project it belongs to.
struct StoredConnection: Codable, Sendable {
    var projectID: String
    /// The connection as stored; while ``settle`` is pending its status is `PENDING_CREATE`.
    var connection: VPNConnection
    /// Milliseconds since 1970, strictly increasing per project: the list order and paging marker.
    var createdMillis: Int64
    /// The status the connection takes once its creation settles; `nil` once it has (or in a data
    /// file written before statuses moved).
    var settle: Settle?

    /// A status change that happens by itself at a given time.
    struct Settle: Codable, Sendable, Equatable {
        /// When, in milliseconds since 1970.
        var atMillis: Int64
        /// The status from then on: `DOWN`, or `ERROR` for a connection parked by a fault.
        var status: String

        enum CodingKeys: String, CodingKey { case atMillis = "at_ms", status }
    }

    enum CodingKeys: String, CodingKey {
        case projectID = "project_id", connection, createdMillis = "created_ms", settle
    }

    /// The settle status of a connection in `PENDING_DELETE`: once due, it is gone.
    static let deleted = "DELETED"

    /// The connection as the API shows it at `nowMillis`.
    func current(atMillis nowMillis: Int64) -> VPNConnection {
        guard let settle, nowMillis >= settle.atMillis else { return connection }
        var c = connection
        c.status = settle.status
        return c
    }

    /// Applies a due settle to the stored value, so an edit starts from what was shown.
    mutating func settleIfDue(atMillis nowMillis: Int64) {
        guard let settle, nowMillis >= settle.atMillis else { return }
        connection.status = settle.status
        self.settle = nil
    }
}

import VPNAPI
import VPNForm

/// Reads what the API holds for a set of gateways: each gateway (for the gateway checks) and all
/// of their connections (for the planner's ``LiveView``), with as few calls as it can. Gateways
/// come from one show (a single gateway) or one list call (several: the API does not page it).
///
/// Connections are listed either one gateway at a time (`vgw_id=…`, in parallel) or project-wide
/// (`limit=2000` pages, one after another). The first project-wide page says how many connections
/// the project has: when its remaining pages are fewer than the gateways still to list, it goes on
/// project-wide; otherwise it lists by gateway.
public struct LiveReader: Sendable {
    let client: VPNClient
    let parallelism: Int

    /// Creates a reader making at most `parallelism` calls at once.
    public init(client: VPNClient, parallelism: Int = 4) {
        self.client = client
        self.parallelism = max(1, parallelism)
    }

    /// What was read.
    public struct Result: Sendable {
        /// Each gateway asked for that exists, by id.
        public var gateways: [GatewayID: VPNGateway]
        /// The gateways asked for that the API says do not exist.
        public var missing: Set<GatewayID>
        /// The connections of the gateways that exist.
        public var view: LiveView
        /// Calls made: gateway shows and connection list pages.
        public var gatewayCalls: Int
        public var listCalls: Int
    }

    /// Reads `gateways` and their connections.
    /// - Throws: The first ``VPNAPIError`` other than a gateway's 404 (a 401/403 among them).
    public func read(_ gateways: [GatewayID]) async throws(VPNAPIError) -> Result {
        let ids = Array(Set(gateways)).sorted { $0.rawValue < $1.rawValue }
        var found: [GatewayID: VPNGateway] = [:], missing = Set<GatewayID>()
        var gatewayCalls = 0
        if ids.count == 1 {
            // One gateway: show it.
            gatewayCalls = 1
            do throws(VPNAPIError) {
                found[ids[0]] = try await client.showGateway(id: ids[0].rawValue)
            } catch .api(let body) where body.status == 404 {
                missing.insert(ids[0])
            }
        } else if ids.count > 1 {
            // Several: the gateway list is one call for the whole project (the API does not page it).
            gatewayCalls = 1
            let listed = Dictionary(try await client.listGateways().map { (GatewayID($0.id), $0) }, uniquingKeysWith: { a, _ in a })
            for id in ids { if let g = listed[id] { found[id] = g } else { missing.insert(id) } }
        }
        let existing = ids.filter { found[$0] != nil }
        let (connections, listCalls) = try await connections(of: existing)
        let wanted = Set(existing)
        let view = LiveView(gateways: wanted, connections: connections.filter { wanted.contains(GatewayID($0.vgwID ?? "")) }
            .map(LiveConnection.init))
        return Result(gateways: found, missing: missing, view: view, gatewayCalls: gatewayCalls, listCalls: listCalls)
    }

    private func connections(of gateways: [GatewayID]) async throws(VPNAPIError) -> ([VPNConnection], Int) {
        guard gateways.count > 1 else {
            guard let only = gateways.first else { return ([], 0) }
            let page = try await client.listConnectionPage(filter: [QueryItem("vgw_id", only.rawValue)], marker: nil)
            return try await rest(of: page, filter: [QueryItem("vgw_id", only.rawValue)], calls: 1)
        }
        let first = try await client.listConnectionPage(filter: [], marker: nil)
        let pagesLeft = first.isLast ? 0 : ((first.totalCount ?? Int.max) - first.connections.count + first.pageSize - 1) / first.pageSize
        if pagesLeft <= gateways.count {
            return try await rest(of: first, filter: [], calls: 1)
        }
        let lists = try await concurrentMap(gateways) { id throws(VPNAPIError) -> ([VPNConnection], Int) in
            let page = try await client.listConnectionPage(filter: [QueryItem("vgw_id", id.rawValue)], marker: nil)
            return try await rest(of: page, filter: [QueryItem("vgw_id", id.rawValue)], calls: 1)
        }
        return (lists.flatMap(\.0), 1 + lists.map(\.1).reduce(0, +))
    }

    /// Follows `page`'s markers to the end.
    private func rest(of page: VPNClient.ConnectionPage, filter: [QueryItem], calls: Int) async throws(VPNAPIError)
        -> ([VPNConnection], Int) {
        var all = page.connections, page = page, calls = calls
        // A full last page is followed by an empty one, unless total_count says all are here.
        while !page.isLast, all.count < (page.totalCount ?? Int.max), let marker = page.nextMarker {
            page = try await client.listConnectionPage(filter: filter, marker: marker)
            all += page.connections
            calls += 1
        }
        return (all, calls)
    }

    /// `transform` over `items`, at most ``parallelism`` at once, results in order.
    private func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) async throws(VPNAPIError) -> R)
        async throws(VPNAPIError) -> [R] {
        var results = [R?](repeating: nil, count: items.count)
        let outcome: Swift.Result<Void, VPNAPIError> = await withTaskGroup(of: (Int, Swift.Result<R, VPNAPIError>).self) { group in
            var next = 0
            func start() {
                guard next < items.count else { return }
                let i = next, item = items[i]
                next += 1
                group.addTask {
                    do throws(VPNAPIError) { return (i, .success(try await transform(item))) } catch { return (i, .failure(error)) }
                }
            }
            for _ in 0..<parallelism { start() }
            // On a failure no new call starts; calls in flight end on their own (never cancelled
            // mid-request).
            var failure: VPNAPIError?
            while let (i, result) = await group.next() {
                switch result {
                case .success(let r): results[i] = r
                case .failure(let e): failure = failure ?? e
                }
                if failure == nil { start() }
            }
            return failure.map { .failure($0) } ?? .success(())
        }
        try outcome.get()
        return results.map { $0! }
    }
}

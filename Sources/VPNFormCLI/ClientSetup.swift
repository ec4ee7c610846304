import Foundation
import VPNAPI
import VPNApply
import VPNForm

/// What a command needs to talk to the API: credentials, project and endpoint from the desired
/// file, the options and the environment; and the cloud target a state is compared with.
struct ClientSetup {
    /// The client, ready to sign requests.
    var client: VPNClient
    /// The project and region (or endpoint) the client talks to, as a state records it.
    var target: CloudTarget

    /// The target the desired file (with the environment's project id) names: what a state records
    /// and is compared with. `--endpoint` only says how to reach it (a proxy, the emulator), so it
    /// is not part of it.
    static func target(desired: DesiredState, environment: [String: String]) -> CloudTarget? {
        guard let project = projectID(desired, environment) else { return nil }
        return CloudTarget(projectID: project, region: desired.region?.value, endpoint: desired.endpoint?.value)
    }

    static func projectID(_ desired: DesiredState, _ environment: [String: String]) -> String? {
        let candidates = [desired.projectID?.value, environment["HUAWEICLOUD_SDK_PROJECT_ID"], environment["HW_PROJECT_ID"]]
        return candidates.lazy.compactMap { $0 }.first { !$0.isEmpty }
    }

    /// Builds the client for the desired file's target; the error says what is missing (never a
    /// secret). `emulator`: talk to this address instead (it stands in for the file's region).
    static func make(desired: DesiredState, desiredPath: String, endpointOption: String?, environment: [String: String],
                     trace: (@Sendable (String) -> Void)?, emulator: URL? = nil) -> Result<ClientSetup, SetupError> {
        guard let target = target(desired: desired, environment: environment) else {
            return .failure(SetupError("no project id: set project_id in \(desiredPath) or HUAWEICLOUD_SDK_PROJECT_ID"))
        }
        let url = emulator ?? endpointOption.flatMap { URL(string: $0) }
        if let endpointOption, url == nil || url?.host == nil { return .failure(SetupError("invalid endpoint \"\(endpointOption)\"")) }
        guard url != nil || target.endpoint != nil || target.region != nil else {
            return .failure(SetupError("no endpoint: set region or endpoint in \(desiredPath), or --endpoint"))
        }
        return make(target: target, environment: environment, trace: trace, override: url)
    }

    /// Builds the client for `target` (which names a region or an endpoint); `emulator` (or any
    /// override) is the address actually used.
    static func make(target: CloudTarget, environment: [String: String], trace: (@Sendable (String) -> Void)?,
                     override: URL? = nil) -> Result<ClientSetup, SetupError> {
        guard let credentials = Credentials.fromEnvironment(environment) else {
            return .failure(SetupError("no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or HW_ACCESS_KEY and HW_SECRET_KEY)"))
        }
        let endpoint: URL
        if let override {
            endpoint = override
        } else if let text = target.endpoint {
            guard let url = URL(string: text), url.host != nil else { return .failure(SetupError("invalid endpoint \"\(text)\"")) }
            endpoint = url
        } else if let region = target.region {
            endpoint = ClientConfiguration.endpoint(forRegion: region)
        } else {
            return .failure(SetupError("no endpoint: name a region or an endpoint"))
        }
        do {
            let transport = try ApplySession.liveTransport(environment, caBundle: nil)
            let client = try VPNClient(
                configuration: ClientConfiguration(endpoint: endpoint, projectID: target.projectID, credentials: credentials),
                transport: transport,
                environment: VPNClient.Environment(trace: trace))
            return .success(ClientSetup(client: client, target: target))
        } catch let failure as ApplyFailure {
            if case .transportFailed(let why) = failure { return .failure(SetupError(why)) }
            return .failure(SetupError("\(failure)"))
        } catch {
            return .failure(SetupError("\(error)"))
        }
    }

    /// Why no client could be made.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

import Foundation
import VPNAPI
import VPNCrypto
import VPNEmulator
import VPNForm

extension ApplySession {
    /// What the calls need: the keys, and a client with credentials, project and endpoint (for an
    /// emulator run, an emulator started in the process with throwaway credentials).
    struct Target {
        var psks: [PairAddress: Secret]
        var throwawayKeys: [String]
        var server: EmulatorServer?
        var client: VPNClient
        /// The project and region (or endpoint) the desired file targets: what the state records.
        var cloud: CloudTarget

        init(_ inputs: Inputs, request: ApplyRequest) throws(ApplyFailure) {
            let environment = request.environment
            // Every secret is loaded (and so known to the canary) before anything is printed.
            let credentials = Credentials.fromEnvironment(environment)
            switch PSKResolver.resolve(
                work: inputs.work, desired: inputs.desired, environment: environment,
                throwaway: request.emulator)
            {
            case .failure(.missing(let names)): throw .missingKeys(names: names)
            case .failure(.invalid(let keys)): throw .invalidKeys(keys)
            case .success(let (resolved, generated)):
                psks = resolved
                throwawayKeys = generated
            }
            let projectID = try Self.projectID(inputs, environment)
            // `--endpoint` and the emulator are how to reach the target, not part of it.
            cloud = CloudTarget(projectID: projectID, region: inputs.desired.region?.value,
                                endpoint: inputs.desired.endpoint?.value)
            let endpoint: URL
            let signing: Credentials
            if request.emulator {
                // The emulator accepts only the throwaway pair it is started with.
                let (ak, sk) = EmulatorConfiguration.randomCredentials()
                do {
                    var configuration = EmulatorConfiguration(accessKey: ak, secretKey: sk)
                    configuration.gateways = EmulatorGatewaySeed.gateways(in: [inputs.desired])
                    server = try EmulatorServer(emulator: VPNEmulator(configuration: configuration))
                } catch {
                    throw .emulatorFailed("\(error)")
                }
                SecretCanary.register(sk)
                signing = Credentials(accessKey: ak, secretKey: sk)
                endpoint = server!.baseURL
            } else {
                guard let credentials else { throw .noCredentials }
                signing = credentials
                endpoint = try Self.endpoint(inputs, request)
            }
            let transport: any HTTPTransport
            if let given = request.transport {
                transport = given
            } else {
                do throws(ApplyFailure) {
                    transport = try ApplySession.liveTransport(environment, caBundle: request.caBundle)
                } catch {
                    server?.stop()
                    throw error
                }
            }
            do {
                client = try VPNClient(
                    configuration: ClientConfiguration(endpoint: endpoint, projectID: projectID, credentials: signing),
                    transport: transport,
                    environment: VPNClient.Environment(trace: request.trace))
            } catch {
                server?.stop()
                throw .invalidEndpoint(endpoint.absoluteString, problem: error.description)
            }
        }

        /// The file's project id, else the environment's, which is checked here (the file's was validated).
        static func projectID(_ inputs: Inputs, _ environment: [String: String]) throws(ApplyFailure) -> String {
            if let id = inputs.desired.projectID?.value { return id }
            for variable in ["HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID"] {
                guard let value = environment[variable] else { continue }
                guard ValueRules.isProjectID(value) else { throw .invalidProjectID(variable: variable, value: value) }
                return value
            }
            throw .noProjectID(desiredPath: inputs.desiredPath)
        }

        /// `--endpoint` (checked like the file's `endpoint`), the file's, or the region's.
        static func endpoint(_ inputs: Inputs, _ request: ApplyRequest) throws(ApplyFailure) -> URL {
            if let text = request.endpoint {
                if let problem = EndpointRule.problem(text) { throw .invalidEndpoint(text, problem: problem) }
                return URL(string: text)!
            }
            if let text = inputs.desired.endpoint?.value, let url = URL(string: text) { return url }
            if let region = inputs.desired.region?.value { return ClientConfiguration.endpoint(forRegion: region) }
            throw .noEndpoint(desiredPath: inputs.desiredPath)
        }
    }
}

extension ApplySession {
    /// libcurl with the environment's CA bundle and proxy settings (`--ca-bundle` wins).
    public static func liveTransport(_ environment: [String: String], caBundle: String?) throws(ApplyFailure)
        -> any HTTPTransport {
        let settings = TransportConfiguration.fromEnvironment(environment, caBundle: caBundle)
        if let bundle = settings.caBundle, !FileManager.default.isReadableFile(atPath: bundle) {
            throw .transportFailed("the CA bundle \(bundle) cannot be read")
        }
        do { return try CurlTransport(configuration: settings) } catch { throw .transportFailed("\(error)") }
    }
}

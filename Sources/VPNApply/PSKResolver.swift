import VPNCrypto
import VPNForm

/// Resolves the pre-shared key of every pair an apply will create, before any call.
public enum PSKResolver {
    /// The keys by pair, or the names of the environment variables that are missing (never values).
    /// - Parameter throwaway: Give a missing variable a random key (the emulator only); the
    ///   second result lists those variables.
    public static func resolve(work: [PlanEntry], desired: DesiredState, environment: [String: String], throwaway: Bool)
        -> Result<([PairAddress: Secret], [String]), MissingKeys>
    {
        var keys: [PairAddress: Secret] = [:]
        var missing = Set<String>(), generated = Set<String>()
        var random: [String: Secret] = [:]
        for gateway in desired.gateways {
            for connection in gateway.connections {
                let address = gateway.address(of: connection)
                guard work.contains(where: { $0.address == address }), let psk = connection.spec.psk?.value else { continue }
                switch psk {
                case .literal(let secret):
                    keys[address] = secret
                case .environment(let name):
                    if let value = environment[name], !value.isEmpty {
                        keys[address] = Secret(value)
                    } else if throwaway {
                        let key = random[name] ?? Secret("Emu-" + UUIDText.random().prefix(18))
                        random[name] = key
                        keys[address] = key
                        generated.insert(name)
                    } else {
                        missing.insert(name)
                    }
                }
            }
        }
        if !missing.isEmpty { return .failure(MissingKeys(names: missing.sorted())) }
        for key in keys.values { SecretCanary.register(key) }
        return .success((keys, generated.sorted()))
    }

    /// Environment variables that hold no pre-shared key.
    public struct MissingKeys: Error, Equatable {
        public var names: [String]
    }
}

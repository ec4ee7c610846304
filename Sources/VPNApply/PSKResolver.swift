import VPNCrypto
import VPNForm

/// Resolves the pre-shared key of every pair an apply will create, before any call.
public enum PSKResolver {
    /// Why keys could not be resolved: never a key, only variable names and rule problems.
    public enum Failure: Error, Equatable {
        /// Variables that are unset or empty.
        case missing([String])
        /// Variables whose value breaks the API's pre-shared key rules.
        case invalid([ApplyFailure.InvalidKey])
    }

    /// The keys by pair, or what is wrong with the environment variables (never their values).
    /// A key from the environment is checked against the same rules as a literal one in the file.
    /// - Parameter throwaway: Give a missing variable a random key (the emulator only); the
    ///   second result lists those variables.
    public static func resolve(
        work: [PlanEntry], desired: DesiredState, environment: [String: String], throwaway: Bool
    )
        -> Result<([PairAddress: Secret], [String]), Failure>
    {
        var keys: [PairAddress: Secret] = [:]
        var missing = Set<String>(), generated = Set<String>(), invalid: [String: String] = [:]
        var random: [String: Secret] = [:]
        let addresses = Set(work.map(\.address))
        for gateway in desired.gateways {
            for connection in gateway.connections {
                let address = gateway.address(of: connection)
                guard addresses.contains(address), let psk = connection.spec.psk?.value else { continue }
                switch psk {
                case .literal(let secret):
                    keys[address] = secret
                case .environment(let name):
                    if let value = environment[name], !value.isEmpty {
                        let key = Secret(value)
                        // Registered before anything can print it, even when it is refused.
                        SecretCanary.register(key)
                        if let problem = ValueRules.pskProblem(value) { invalid[name] = problem }
                        keys[address] = key
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
        if !missing.isEmpty { return .failure(.missing(missing.sorted())) }
        if !invalid.isEmpty {
            return .failure(
                .invalid(invalid.keys.sorted().map { ApplyFailure.InvalidKey(variable: $0, problem: invalid[$0]!) }))
        }
        for key in keys.values { SecretCanary.register(key) }
        return .success((keys, generated.sorted()))
    }
}

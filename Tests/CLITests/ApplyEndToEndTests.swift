import EstateGenerator
import Foundation
import TestSupport
import Testing

/// `vpnform apply` end to end: the real binary against a real emulator process over loopback HTTP.
@Suite(.serialized) struct ApplyEndToEndTests {
    /// Pre-shared keys for generated estates: `PSK_SITE0` … `PSK_SITE49`, each a canary.
    static let psks: [String: String] = Dictionary(uniqueKeysWithValues: (0..<50).map { ("PSK_SITE\($0)", "Canary-Psk-\($0)-Xy") })

    /// (id, name, vgw_ip) of every connection a state file records.
    static func stateConnections(_ text: String) throws -> [(id: String, name: String, vgwIP: String)] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let pairs = object["pairs"] as! [String: [String: Any]]
        return pairs.values.flatMap { pair in
            (pair["connections"] as! [[String: Any]]).map { ($0["id"] as? String ?? "", $0["name"] as! String, $0["vgw_ip"] as! String) }
        }
    }

    /// Nothing secret in any output or file.
    static func expectNoSecrets(_ texts: [String], extra: [String] = []) {
        let secrets = Array(psks.values) + extra
        for text in texts {
            for s in secrets { #expect(!text.contains(s), "a secret leaked") }
        }
    }

    @Test("the README quickstart: apply --emulator --auto-approve, then plan shows no changes")
    func quickstart() throws {
        let ws = Scratch()
        ws.copy("examples/quickstart.yaml")
        let r = try BinaryRunner.run(["apply", "-f", "quickstart.yaml", "--emulator", "--auto-approve"], in: ws.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[2/2]"))
        #expect(r.stderr.contains("Apply complete: 2 pairs applied, 0 failed"))
        let state = ws.read("quickstart.emulator.state.json")
        #expect(try Self.stateConnections(state).filter { !$0.id.isEmpty }.count == 4)
        let plan = try BinaryRunner.run(["plan", "-f", "quickstart.yaml", "--state", "quickstart.emulator.state.json", "--detailed-exitcode"], in: ws.url)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("No changes"))
    }

    @Test("plan, apply against a standalone emulator, plan again: no changes, and the state holds every id it issued")
    func standalone() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 25, connectionsPerGateway: 10, seed: 5).yaml())
        let emulator = try EmulatorProcess(dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        let env = emulator.clientEnvironment.merging(Self.psks) { $1 }
        let planned = try BinaryRunner.run(["plan", "-f", "vpn.yaml", "--out", "plan.json"], environment: env, in: ws.url)
        #expect(planned.status == 0)
        let applied = try BinaryRunner.run(["apply", "plan.json", "--endpoint", emulator.endpoint, "--parallelism", "8"], environment: env, in: ws.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        let state = ws.read("vpn.state.json")
        let recorded = try Self.stateConnections(state)
        let issued = try emulator.connections()
        #expect(issued.count == 50)  // 25 pairs on three two-IP gateways
        #expect(Set(recorded.map(\.id)) == Set(issued.map(\.id)))
        #expect(Set(issued.map(\.name)).count == issued.count, "no duplicates")
        let again = try BinaryRunner.run(["plan", "-f", "vpn.yaml", "--detailed-exitcode"], environment: env, in: ws.url)
        #expect(again.status == 0)
        // The saved plan is now stale: apply refuses it.
        let stale = try BinaryRunner.run(["apply", "plan.json", "--endpoint", emulator.endpoint], environment: env, in: ws.url)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("changed since the plan was saved"))
        Self.expectNoSecrets([planned.stdout, planned.stderr, applied.stdout, applied.stderr, state, ws.read("plan.json")], extra: [emulator.secretKey])
    }

    /// The estate with a mixed plan: every 20 pairs, 6 updated, 2 with new tags, 2 replaced, 2 deleted, 2 added.
    static func mixed(_ yaml: String) -> (yaml: String, pairs: Int) {
        var k = 0, pairs = 0
        let gateways = yaml.components(separatedBy: "\n  - name: ").map { g -> String in
            let parts = g.components(separatedBy: "\n      - name: ")
            var kept = [parts[0]], extra: [String] = []
            for var block in parts.dropFirst() {
                k += 1
                switch k % 20 {
                case 5, 15: continue
                case 1, 2, 3, 6, 7, 8:
                    block = block.replacingOccurrences(of: "peer_subnets: [",
                                                       with: "peer_subnets: [192.168.\(k % 250).0/24, ")
                case 9, 10: block = block.replacingOccurrences(of: ", tier: t", with: ", tier: u")
                case 4 where !block.contains("ikepolicy:"), 14 where !block.contains("ikepolicy:"):
                    let replaced = "\n        ikepolicy: {authentication_method: pre-share}\n        psk:"
                    block = block.replacingOccurrences(of: "\n        psk:", with: replaced)
                case 0 where !block.contains("tunnels:"), 11 where !block.contains("tunnels:"):
                    let name = String(block.prefix { $0 != "\n" })
                    extra.append("new" + name + block.dropFirst(name.count)
                        .replacingOccurrences(of: "peer_subnets: [", with: "peer_subnets: [192.169.0.0/24, "))
                default: break
                }
                kept.append(block)
            }
            kept += extra
            pairs += kept.count - 1
            return kept.joined(separator: "\n      - name: ")
        }
        return (gateways.joined(separator: "\n  - name: "), pairs)
    }

    @Test("200 pairs under 429 storms, 5xx, drops after commit on create, then on PUT, tags, DELETE: emulator == file")
    func faults() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 200, connectionsPerGateway: 20, seed: 11, twoIPs: true).yaml())
        let emulator = try EmulatorProcess(arguments: [
            "--seed", "42", "--latency", "5",
            "--fault", "batch-create:429:0.25", "--fault", "batch-create:503:0.05", "--fault", "batch-create:500:0.05",
            "--fault", "batch-create:drop-after-commit:0.1", "--fault", "list:503:0.05",
            "--fault", "update:429:0.2", "--fault", "update:503:0.05", "--fault", "update:drop-after-commit:0.1",
            "--fault", "tags:503:0.05", "--fault", "tags:drop-after-commit:0.1",
            "--fault", "delete:429:0.2", "--fault", "delete:503:0.05", "--fault", "delete:drop-after-commit:0.1",
        ], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        let env = emulator.clientEnvironment.merging(Self.psks) { $1 }
        var outputs: [String] = []
        var status: Int32 = -1
        for _ in 0..<5 where status != 0 {
            let r = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--parallelism", "16", "--quiet"],
                                         environment: env, in: ws.url)
            outputs += [r.stdout, r.stderr]
            status = r.status
            #expect([0, 3].contains(r.status), "\(r.stderr)")
        }
        #expect(status == 0)
        let issued = try emulator.connections()
        #expect(issued.count == 400)
        #expect(Set(issued.map { "\($0.vgwIP)/\($0.name)" }).count == 400, "no duplicates")
        let recorded = try Self.stateConnections(ws.read("vpn.state.json"))
        #expect(Set(recorded.map(\.id)) == Set(issued.map(\.id)))
        // A mixed plan under the same faults, PUT, tags and DELETE included.
        let (yaml, pairs) = Self.mixed(ws.read("vpn.yaml"))
        ws.write("vpn.yaml", yaml)
        let planned = try BinaryRunner.run(["plan", "-f", "vpn.yaml"], environment: env, in: ws.url)
        #expect(planned.stdout.contains("to update in place") && !planned.stdout.contains(" 0 to replace")
                && !planned.stdout.contains(" 0 to delete"), "\(planned.stdout)")
        status = -1
        for _ in 0..<6 where status != 0 {
            let r = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve",
                                          "--parallelism", "16", "--quiet"], environment: env, in: ws.url)
            outputs += [r.stdout, r.stderr]
            status = r.status
            #expect([0, 3].contains(r.status), "\(r.stderr)")
        }
        #expect(status == 0)
        let after = try emulator.connections()
        #expect(after.count == 2 * pairs)
        #expect(Set(after.map { "\($0.vgwIP)/\($0.name)" }).count == after.count, "no duplicates")
        let state = ws.read("vpn.state.json")
        let names = Set(try Self.stateConnections(state).map { "\($0.vgwIP)/\($0.name)" })
        #expect(names == Set(after.map { "\($0.vgwIP)/\($0.name)" }),
                "the emulator holds exactly the desired connections")
        #expect(Set(try Self.stateConnections(state).map(\.id)) == Set(after.map(\.id)))
        let again = try BinaryRunner.run(["plan", "-f", "vpn.yaml", "--refresh", "--endpoint", emulator.endpoint,
                                          "--detailed-exitcode"], environment: env, in: ws.url)
        #expect(again.status == 0, "\(again.stdout)")
        Self.expectNoSecrets(outputs + [state], extra: [emulator.secretKey])
    }

    @Test("two applies on one state: the second fails naming the holder, and nothing is lost")
    func concurrent() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 20, connectionsPerGateway: 10, seed: 9).yaml())
        let emulator = try EmulatorProcess(arguments: ["--latency", "100"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        let env = emulator.clientEnvironment.merging(Self.psks) { $1 }
        let first = Process()
        first.executableURL = BinaryRunner.executable
        first.arguments = ["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--parallelism", "1", "--quiet"]
        first.currentDirectoryURL = ws.url
        first.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let lock = ws.url("vpn.state.json.lock").path
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: lock) { usleep(20_000) }
        let second = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve"], environment: env, in: ws.url)
        #expect(second.status == 1)
        #expect(second.stderr.contains("the state is locked"))
        #expect(second.stderr.contains("(apply)"))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let recorded = try Self.stateConnections(ws.read("vpn.state.json"))
        #expect(Set(recorded.map(\.id)) == Set(try emulator.connections().map(\.id)))
        #expect(recorded.count == 40)
    }

    @Test("every retry is a progress line; refused credentials stop the whole apply at once")
    func retriesAndRefusedCredentials() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 12, connectionsPerGateway: 10, seed: 4).yaml())
        let emulator = try EmulatorProcess(arguments: ["--seed", "3", "--fault", "batch-create:429:0.3"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        var env = emulator.clientEnvironment.merging(Self.psks) { $1 }
        env["HUAWEICLOUD_SDK_SK"] = "not-the-emulators-key"
        // The live read before any create is the credential check: one signed read, nothing created.
        let refused = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--parallelism", "4"],
                                           environment: env, in: ws.url)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("error: could not read the live API: the API refused the credentials: HTTP 401 APIGW.0301"))
        #expect(refused.stderr.contains("hint: check the credentials"))
        #expect(try emulator.connections().isEmpty)
        env["HUAWEICLOUD_SDK_SK"] = emulator.secretKey
        let applied = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve"], environment: env, in: ws.url)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr.contains(": throttled (429), retrying in "))
        #expect(try emulator.connections().count == Self.stateConnections(ws.read("vpn.state.json")).count)
    }

    @Test("a missing pre-shared key or missing credentials stop the apply before any call")
    func preflight() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 5, connectionsPerGateway: 5, seed: 2).yaml())
        let emulator = try EmulatorProcess(dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        var env = emulator.clientEnvironment.merging(Self.psks) { $1 }
        env["PSK_SITE3"] = ""
        let r = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve"], environment: env, in: ws.url)
        #expect(r.status == 1)
        #expect(r.stderr.contains("PSK_SITE3"))
        #expect(r.stderr.contains("nothing was sent"))
        env["PSK_SITE3"] = Self.psks["PSK_SITE3"]
        let noTTY = try BinaryRunner.run(["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint], environment: env, in: ws.url)
        #expect(noTTY.status == 1)
        #expect(noTTY.stderr.contains("without --auto-approve"))
        #expect(try emulator.connections().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: ws.url("vpn.state.json").path))
    }
}

/// The secret canary in the real binary.
@Suite struct SecretCanaryEndToEndTests {
    @Test("a pre-shared key that shows up in a name stops the write that would print it")
    func injectedIntoAName() throws {
        let ws = Scratch()
        ws.copy("examples/quickstart.yaml")
        // The key equals an API connection name, which the plan prints.
        let env = ["PSK_SHANGHAI": "hq-shanghai-1", "PSK_GUANGZHOU": "Guangzhou-Key-1"]
        let r = try BinaryRunner.run(["apply", "-f", "quickstart.yaml", "--emulator", "--auto-approve"], environment: env, in: ws.url)
        #expect(r.status == 1)
        #expect(r.stderr.contains("refusing to write to standard output: the output contains a secret"))
        #expect(!r.stdout.contains("hq-shanghai-1"))
        // With the plan not printed, the journal write is what would reveal it: refused, nothing sent.
        let quiet = try BinaryRunner.run(["apply", "-f", "quickstart.yaml", "--emulator", "--auto-approve", "--quiet"], environment: env, in: ws.url)
        #expect(quiet.status == 3)
        #expect(quiet.stderr.contains("hq/shanghai failed: could not record the pair before creating it"))
        #expect(quiet.stderr.contains("refusing to write to"))
        #expect(!(quiet.stdout + quiet.stderr).contains("hq-shanghai-1"))
        let state = ws.read("quickstart.emulator.state.json")
        #expect(!state.contains("hq-shanghai-1"))
        #expect(state.contains("hq-guangzhou-1"))
    }

    @Test("no normal path trips it: validate, plan and apply with real keys")
    func normalPaths() throws {
        let ws = Scratch()
        ws.copy("examples/quickstart.yaml")
        let env = ["PSK_SHANGHAI": "Shanghai-Key-2024", "PSK_GUANGZHOU": "Guangzhou-Key-2024"]
        for args in [["validate", "-f", "quickstart.yaml"], ["plan", "-f", "quickstart.yaml", "--out", "p.json"],
                     ["apply", "-f", "quickstart.yaml", "--emulator", "--auto-approve", "--debug"]] {
            let r = try BinaryRunner.run(args, environment: env, in: ws.url)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("refusing to write"))
            #expect(!(r.stdout + r.stderr).contains("Key-2024"))
        }
    }
}

import Dispatch
import Foundation
import VPNCrypto
import VPNApply
import VPNEmulator
import VPNForm

enum EmulatorCommand {
    static let usage = "vpnform emulator [--port N] [--data FILE] [--latency MS] [--fault SPEC …] [--seed N] "
        + "[--quota N] [--gateways-from FILE …] [--strict-gateways] [--settle MS] [--no-keepalive] "
        + "[--tls-cert FILE --tls-key FILE]"

    static let spec = CommandSpec(
        name: "emulator",
        summary: "Serve an emulator of the Huawei Cloud VPN API on 127.0.0.1 (for tests and trying vpnform out).",
        usage: usage,
        options: [
            OptionSpec(["--port"], value: "N", help: "Port to listen on (default: any free port)."),
            OptionSpec(["--data"], value: "FILE",
                       help: "Keep the connections and gateways in this JSON file across restarts."),
            OptionSpec(["--latency"], value: "MS", help: "Answer every request MS milliseconds after it arrived."),
            OptionSpec(["--fault"], value: "SPEC", repeatable: true, help: "Inject OPERATION:KIND:RATE, e.g. batch-create:429:0.2."),
            OptionSpec(["--seed"], value: "N", help: "Seed of the fault draws (default 1): same seed, same faults."),
            OptionSpec(["--quota"], value: "N", help: "connection_number of --gateways-from and made gateways (default 1000)."),
            OptionSpec(["--gateways-from"], value: "FILE", repeatable: true,
                       help: "Start with every gateway this desired-state file names."),
            OptionSpec(["--strict-gateways"], help: "Refuse batch-create on an unknown gateway (404 VPN.0509)."),
            OptionSpec(["--settle"], value: "MS",
                       help: "Keep new connections PENDING_CREATE for MS milliseconds (default 0)."),
            OptionSpec(["--no-keepalive"],
                       help: "Close every connection after its answer (default: keep it open, as the API does)."),
            OptionSpec(["--tls-cert"], value: "FILE",
                       help: "Serve https with this PEM certificate chain (needs --tls-key)."),
            OptionSpec(["--tls-key"], value: "FILE", help: "The PEM private key of --tls-cert."),
        ],
        details: """
        Requests must be signed with HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK from the emulator's environment; with
        none set it makes a pair and prints `export` lines after the first line, `listening on http://127.0.0.1:PORT`
        (https with --tls-cert/--tls-key). Connections are kept alive between requests unless --no-keepalive; a
        dropped answer resets the connection, reused or not.
        It serves any project id. Operations: batch-create, list, show, delete (connections), show-gateway,
        list-gateways. Fault kinds: 400 (VPN.0218), 401, 403, 429, 500, 502, 503, 504, drop (no answer, nothing done),
        drop-after-commit (created, then no answer), error-status (batch-create only: created, then ERROR).

        Gateways: those of --gateways-from files are ACTIVE, visible in every project, with the file's ips as
        EIP ids (or private IPs for IPv4 addresses) and ha_mode active-standby when a connection sets ha_role;
        their vgw_ip values are enforced. A batch-create on an unknown gateway makes it on the fly, unless
        --strict-gateways. New connections are PENDING_CREATE for --settle, then DOWN (no peer ever connects).
        Stops on SIGINT or SIGTERM.
        """
    ) { args, console in
        let printer = Printer(console: console)
        func usageError(_ message: String) -> Int32 {
            printer.usage(UsageError(message), usage: usage, command: "emulator")
            return ExitCode.usage
        }
        guard let port = UInt16(args.value("--port") ?? "0") else { return usageError("--port must be 0-65535") }
        guard let latency = Int(args.value("--latency") ?? "0"), latency >= 0 else { return usageError("--latency must be milliseconds, 0 or more") }
        guard let seed = UInt64(args.value("--seed") ?? "1") else { return usageError("--seed must be a whole number") }
        var quota: Int?
        if let q = args.value("--quota") {
            guard let n = Int(q), n > 0 else { return usageError("--quota must be a whole number above 0") }
            quota = n
        }
        var tls: (certificateChain: String, privateKey: String)?
        switch (args.value("--tls-cert"), args.value("--tls-key")) {
        case (nil, nil): break
        case let (cert?, key?): tls = (cert, key)
        default: return usageError("--tls-cert and --tls-key go together")
        }
        guard let settle = Int(args.value("--settle") ?? "0"), settle >= 0 else {
            return usageError("--settle must be milliseconds, 0 or more")
        }
        var desired: [DesiredState] = []
        for path in args.values("--gateways-from") {
            let loaded: LoadedDesiredState
            do {
                loaded = try DesiredStateLoader().load(path: path)
            } catch {
                console.err("error: --gateways-from: \(error)\n")
                return ExitCode.failure
            }
            // Only the gateways' ids and ips are needed: other findings do not stop the emulator.
            guard let state = loaded.state else {
                console.err(DiagnosticFormat.text.render(loaded.diagnostics))
                console.err("error: --gateways-from \(path): no gateways could be read\n")
                return ExitCode.failure
            }
            desired.append(state)
        }
        let gateways = EmulatorGatewaySeed.gateways(in: desired,
                                                    connectionNumber: quota ?? VPNEmulator.defaultConnectionNumber)
        var faults: [FaultRule] = []
        for spec in args.values("--fault") {
            switch FaultRule.parse(spec) {
            case .success(let rule): faults.append(rule)
            case .failure(let error): return usageError("--fault: \(error)")
            }
        }
        var credentials = (console.environment["HUAWEICLOUD_SDK_AK"], console.environment["HUAWEICLOUD_SDK_SK"].map(Secret.init))
        var generated = false
        if credentials.0 == nil || credentials.1 == nil {
            let random = EmulatorConfiguration.randomCredentials()
            credentials = (random.accessKey, random.secretKey)
            generated = true
        }
        let config = EmulatorConfiguration(accessKey: credentials.0!, secretKey: credentials.1!, latency: .milliseconds(latency),
                                           faults: faults, seed: seed, quotaPerGateway: quota,
                                           dataFile: args.value("--data"),
                                           gateways: gateways, autoCreateGateways: !args.flag("--strict-gateways"),
                                           settle: .milliseconds(settle))
        let server: EmulatorServer
        do {
            server = try EmulatorServer(emulator: try VPNEmulator(configuration: config), port: port,
                                        options: EmulatorServer.Options(keepAlive: !args.flag("--no-keepalive"), tls: tls))
        } catch {
            printer.error("could not start the emulator: \(error)")
            return ExitCode.failure
        }
        // Handle SIGINT/SIGTERM from before the first line, which is when clients start.
        let interrupt = InterruptHandler(console: console, message: nil)
        console.out("listening on \(server.baseURL.absoluteString)\n")
        if generated {
            // Printing the generated pair is the point: a client in another shell needs it.
            console.out("export HUAWEICLOUD_SDK_AK=\(config.accessKey)\nexport HUAWEICLOUD_SDK_SK=\(config.secretKey.revealed)\n")
        }
        await interrupt.wait()
        interrupt.disarm()
        server.stop()
        return ExitCode.success
    }
}

import EstateGenerator
import Foundation
import TestSupport
import Testing

/// SIGINT during `apply`: at the prompt, and while calls are in flight.
@Suite struct InterruptTests {
    @Test("SIGINT at the approval prompt exits 130 at once, sends nothing, leaves no lock")
    func atPrompt() throws {
        let r = try ProcessRunner.run(tool: "python3", [Repository.url("Tests/Interrupt/prompt_interrupt.py").path,
                                                        BinaryRunner.executable.path, Repository.root.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test("SIGINT mid-apply: no new pair starts, calls in flight are recorded, exit 130, state == emulator, no lock")
    func midApply() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 30, connectionsPerGateway: 10, seed: 8).yaml())
        let emulator = try EmulatorProcess(arguments: ["--latency", "150"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        let (apply, err) = try Self.startApply(in: ws, against: emulator)
        Thread.sleep(forTimeInterval: 1.0)
        kill(apply.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        apply.waitUntilExit()
        #expect(apply.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("Interrupted: finishing the calls in flight"))
        #expect(stderr.contains("Apply interrupted"))
        #expect(!FileManager.default.fileExists(atPath: ws.url("vpn.state.json.lock").path))
        #expect(!FileManager.default.fileExists(atPath: ws.url("vpn.state.json.journal").path), "the journal was folded in")
        let recorded = try ApplyEndToEndTests.stateConnections(ws.read("vpn.state.json"))
        let issued = try emulator.connections()
        #expect(!issued.isEmpty && issued.count < 60, "stopped part-way: \(issued.count) of 60")
        #expect(Set(recorded.map(\.id)) == Set(issued.map(\.id)), "every created id recorded, nothing else")
    }
}

extension InterruptTests {
    /// `apply vpn.yaml` against the emulator at parallelism 2, running; its standard error in the pipe.
    static func startApply(in ws: Scratch, against emulator: EmulatorProcess) throws -> (Process, Pipe) {
        let apply = Process()
        apply.executableURL = BinaryRunner.executable
        apply.arguments = ["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--parallelism", "2",
                           "--quiet"]
        apply.currentDirectoryURL = ws.url
        apply.environment = ProcessInfo.processInfo.environment
            .merging(emulator.clientEnvironment.merging(ApplyEndToEndTests.psks) { $1 }) { $1 }
        let err = Pipe()
        apply.standardError = err
        apply.standardOutput = FileHandle.nullDevice
        try apply.run()
        return (apply, err)
    }
}

/// A second SIGINT stops at once, and says which pairs it leaves pending.
@Suite struct SecondInterruptTests {
    @Test("a second SIGINT exits 130 at once, naming the pairs left pending; the next apply recovers them")
    func secondInterrupt() throws {
        let ws = Scratch()
        ws.write("vpn.yaml", EstateGenerator(pairs: 6, connectionsPerGateway: 10, seed: 8).yaml())
        let emulator = try EmulatorProcess(arguments: ["--latency", "1500"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        let env = emulator.clientEnvironment.merging(ApplyEndToEndTests.psks) { $1 }
        let (apply, err) = try InterruptTests.startApply(in: ws, against: emulator)
        // apply first reads the gateways and their connections (two calls of 1.5 s), then creates.
        Thread.sleep(forTimeInterval: 3.8)
        kill(apply.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.2)
        kill(apply.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        apply.waitUntilExit()
        #expect(apply.terminationStatus == 130, "\(stderr)")
        // Two pairs in flight, and each worker's next pair, whose pending entry is written while the
        // call before it is in flight.
        let left = stderr.components(separatedBy: "Stopped at once; ").dropFirst().first
            .flatMap { Int($0.prefix { $0.isNumber }) }
        #expect(stderr.contains(" pairs left pending: "), "\(stderr)")
        #expect(left.map { (2...4).contains($0) } == true, "\(stderr)")
        #expect(stderr.contains("The next apply looks for their connections and adopts them before creating anything."))
        #expect(!ws.exists("vpn.state.json.lock"))
        let plan = try BinaryRunner.run(["plan", "vpn.yaml", "--detailed-exitcode"], environment: ["NO_COLOR": "1"],
                                        in: ws.url)
        #expect(plan.stdout.contains("\(left ?? 0) to recover"), "\(plan.stdout)")
        let again = try BinaryRunner.run(["apply", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve",
                                          "--quiet"],
                                         environment: env, in: ws.url)
        #expect(again.status == 0, "\(again.stderr)")
        let recorded = try ApplyEndToEndTests.stateConnections(ws.read("vpn.state.json"))
        let issued = try emulator.connections()
        #expect(Set(recorded.map(\.id)) == Set(issued.map(\.id)) && issued.count == 12, "exactly once: \(issued.count)")
    }
}

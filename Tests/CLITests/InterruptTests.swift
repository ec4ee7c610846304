import EstateGenerator
import Foundation
import Testing

/// SIGINT during `apply`: at the prompt, and while calls are in flight.
@Suite struct InterruptTests {
    @Test("SIGINT at the approval prompt exits 130 at once, sends nothing, leaves no lock")
    func atPrompt() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", BinaryRunner.repositoryRoot.appendingPathComponent("Tests/Interrupt/prompt_interrupt.py").path,
                       BinaryRunner.executable.path, BinaryRunner.repositoryRoot.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
    }

    @Test("SIGINT mid-apply: no new pair starts, calls in flight are recorded, exit 130, state == emulator, no lock")
    func midApply() throws {
        let ws = try ApplyEndToEndTests.Workspace()
        try ws.write("vpn.yaml", EstateGenerator(pairs: 30, connectionsPerGateway: 10, seed: 8).yaml())
        let emulator = try EmulatorProcess(arguments: ["--latency", "150"], dataFile: ws.url("emulator.json"),
                                           gatewaysFrom: ws.url("vpn.yaml"))
        defer { emulator.stop() }
        let apply = Process()
        apply.executableURL = BinaryRunner.executable
        apply.arguments = ["apply", "-f", "vpn.yaml", "--endpoint", emulator.endpoint, "--auto-approve", "--parallelism", "2", "--quiet"]
        apply.currentDirectoryURL = ws.dir
        apply.environment = ProcessInfo.processInfo.environment.merging(emulator.clientEnvironment.merging(ApplyEndToEndTests.psks) { $1 }) { $1 }
        let err = Pipe()
        apply.standardError = err
        apply.standardOutput = FileHandle.nullDevice
        try apply.run()
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

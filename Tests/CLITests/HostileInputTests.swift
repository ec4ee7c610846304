import EstateGenerator
import Foundation
import TestSupport
import Testing

/// The hostile-input catalogue: each input gets a clear error and a non-zero exit, and the state
/// file stays byte for byte what it was.
@Suite struct HostileInputTests {
    /// A workspace holding the quickstart and its example state.
    func workspace() throws -> Scratch {
        Scratch().copy("examples/quickstart.yaml", "examples/quickstart.state.json")
    }

    func stateBytes(_ ws: Scratch) -> Data? { try? Data(contentsOf: ws.url("quickstart.state.json")) }

    static let desiredCases: [(String, @Sendable (String) -> Data, String)] = [
        ("UTF-16", { Data([0xFF, 0xFE]) + $0.data(using: .utf16LittleEndian)! }, "file is UTF-16"),
        ("tab indentation", { Data($0.replacingOccurrences(of: "  - name: hq", with: "\t- name: hq").utf8) }, "syntax error"),
        ("10,000-level nesting", { _ in Data(("x: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n").utf8) }, "nest deeper than 256"),
        ("NUL byte", { Data($0.replacingOccurrences(of: "hq", with: "h\u{0}q").utf8) }, "NUL byte"),
        ("exponential anchors", { _ in
            var t = "a0: &a0 [x, x, x, x, x, x, x, x]\n"
            for i in 1...12 { t += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 8).joined(separator: ", ") + "]\n" }
            return Data(t.utf8)
        }, "alias expansion exceeds"),
        ("!!python/object tag", { Data($0.replacingOccurrences(of: "name: hq", with: "name: !!python/object:os.system hq").utf8) }, "unsupported YAML tag"),
        ("a number as an IP", { Data($0.replacingOccurrences(of: "- 0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4", with: "- 1.0").utf8) }, "expected a string, got a number"),
        ("an integer as a pre-shared key", { Data($0.replacingOccurrences(of: "${PSK_SHANGHAI}", with: "12345678").utf8) }, "psk: expected a string, got an integer"),
        ("a 5 MB scalar", { Data($0.replacingOccurrences(of: "name: hq", with: "name: " + String(repeating: "h", count: 5_000_000)).utf8) }, "expected 1-64 characters"),
    ]

    @Test("hostile desired files: a clear error, exit 1, state untouched", arguments: desiredCases.indices)
    func hostileDesired(_ i: Int) throws {
        let (name, make, message) = Self.desiredCases[i]
        let ws = try workspace()
        let original = try String(contentsOf: ws.url("quickstart.yaml"), encoding: .utf8)
        try make(original).write(to: ws.url("quickstart.yaml"))
        let before = stateBytes(ws)
        let r = try BinaryRunner.run(["plan", "-f", "quickstart.yaml"], in: ws.url)
        #expect(r.status == 1, "\(name)")
        #expect(r.stderr.contains(message), "\(name): \(r.stderr.prefix(500))")
        #expect(r.stderr.count < 10_000, "\(name): the error must not echo the input")
        #expect(!r.stderr.contains("12345678") || !name.contains("pre-shared"), "the key is never echoed")
        #expect(stateBytes(ws) == before, "\(name)")
    }

    @Test("a file over the size limit is refused without being read")
    func hugeFile() throws {
        let ws = try workspace()
        let fd = open(ws.url("huge.yaml").path, O_CREAT | O_WRONLY, 0o644)
        ftruncate(fd, 100 << 20)  // 100 MB, sparse
        close(fd)
        let r = try BinaryRunner.run(["validate", "-f", "huge.yaml"], in: ws.url)
        #expect(r.status == 1)
        #expect(r.stderr.contains("file is larger than 64 MiB"))
    }

    @Test("a UTF-8 byte-order mark and merge keys are accepted (YAML allows both)")
    func acceptedOddities() throws {
        let ws = try workspace()
        let original = try String(contentsOf: ws.url("quickstart.yaml"), encoding: .utf8)
        try (Data([0xEF, 0xBB, 0xBF]) + Data(original.utf8)).write(to: ws.url("bom.yaml"))
        #expect(try BinaryRunner.run(["validate", "-f", "bom.yaml"], in: ws.url).status == 0)
    }

    static let stateCases: [(String, @Sendable (Data) -> Data, String)] = [
        ("truncated", { $0.prefix($0.count / 3) }, "invalid state file"),
        ("duplicate keys", { Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\"lineage\":", with: "\"format\": \"vpnform-state\",\n  \"lineage\":").utf8) }, "duplicate key"),
        ("a malformed id", { Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\"id\": \"5ddf5d02", with: "\"id\": \"5ddf5d0Z").utf8) }, "expected a UUID"),
    ]

    @Test("hostile state files: a clear error, exit 1, the file byte for byte as it was", arguments: stateCases.indices)
    func hostileState(_ i: Int) throws {
        let (name, damage, message) = Self.stateCases[i]
        let ws = try workspace()
        let damaged = damage(stateBytes(ws)!)
        try damaged.write(to: ws.url("quickstart.state.json"))
        for command in [["plan"], ["apply", "--emulator", "--auto-approve", "--state", "quickstart.state.json"]] {
            let r = try BinaryRunner.run(command + ["-f", "quickstart.yaml"], in: ws.url)
            #expect(r.status == 1, "\(name) \(command)")
            #expect(r.stderr.contains(message), "\(name): \(r.stderr)")
            #expect(stateBytes(ws) == damaged, "\(name)")
        }
    }

    @Test("a state file that is a symlink, read-only, or in a read-only folder: refused before any call, untouched")
    func unwritableState() throws {
        let ws = try workspace()
        let before = stateBytes(ws)!
        let args = ["apply", "-f", "quickstart.yaml", "--emulator", "--auto-approve", "--state"]
        // Read-only file.
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ws.url("quickstart.state.json").path)
        var r = try BinaryRunner.run(args + ["quickstart.state.json"], in: ws.url)
        #expect(r.status == 1 && r.stderr.contains("read-only"), "\(r.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ws.url("quickstart.state.json").path)
        // Read-only folder.
        let folder = ws.url("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try before.write(to: folder.appendingPathComponent("s.json"))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        r = try BinaryRunner.run(args + ["ro/s.json"], in: ws.url)
        #expect(r.status == 1 && r.stderr.contains("read-only"), "\(r.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        #expect(try Data(contentsOf: folder.appendingPathComponent("s.json")) == before)
        // Symlink.
        try FileManager.default.createSymbolicLink(at: ws.url("link.json"), withDestinationURL: ws.url("quickstart.state.json"))
        r = try BinaryRunner.run(args + ["link.json"], in: ws.url)
        #expect(r.status == 1 && r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(stateBytes(ws) == before)
    }

    @Test("a plan file edited by hand, and a lock file with garbage in it, are refused")
    func editedPlanAndGarbageLock() throws {
        let ws = try workspace()
        #expect(try BinaryRunner.run(["plan", "-f", "quickstart.yaml", "--out", "p.json"], in: ws.url).status == 0)
        let plan = try String(contentsOf: ws.url("p.json"), encoding: .utf8)
        try plan.replacingOccurrences(of: "\"action\": \"delete\"", with: "\"action\": \"no-op\"").write(to: ws.url("p.json"), atomically: true, encoding: .utf8)
        let before = stateBytes(ws)
        var r = try BinaryRunner.run(["apply", "p.json"], in: ws.url)
        #expect(r.status == 1)
        #expect(r.stderr.contains("edited by hand"))
        try "\u{0}\u{7}garbage".write(to: ws.url("quickstart.state.json.lock"), atomically: true, encoding: .utf8)
        r = try BinaryRunner.run(["plan", "-f", "quickstart.yaml"], in: ws.url)
        #expect(r.status == 1)
        #expect(r.stderr.contains("lock file cannot be read"))
        #expect(stateBytes(ws) == before)
    }

    /// Runs vpnform under a file-size limit (what a full disk looks like to a writer).
    func runLimited(_ arguments: [String], limitKB: Int, environment: [String: String] = [:], in dir: URL) throws -> (Int32, Process.TerminationReason, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "ulimit -f \(limitKB); exec \"$0\" \"$@\"", BinaryRunner.executable.path] + arguments
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason, stderr)
    }

    @Test("a disk that fills during a state write: non-zero exit, the state file byte for byte as it was", .enabled(if: ProcessInfo.processInfo.environment["VPNFORM_SANITIZER"] == nil, "file-size limits break sanitizer runtimes"))
    func diskFullStateWrite() throws {
        let ws = try workspace()
        // A state of 60 pairs (about 100 KB), rewritten by `state merge` under a 16 KB limit.
        let plan = try BinaryRunner.run(["plan", "-f", "quickstart.yaml"], in: ws.url)
        #expect(plan.status == 0)
        ws.write("big.yaml", EstateGenerator(pairs: 60, connectionsPerGateway: 20, seed: 4).yaml())
        let made = try BinaryRunner.run(["apply", "-f", "big.yaml", "--state", "big.state.json", "--emulator", "--auto-approve", "--quiet"],
                                        environment: ApplyEndToEndTests.psks, in: ws.url)
        #expect(made.status == 0, "\(made.stderr)")
        let before = try Data(contentsOf: ws.url("big.state.json"))
        #expect(before.count > 32 << 10)
        try Data().write(to: ws.url("empty"))
        let (status, reason, stderr) = try runLimited(["state", "merge", "empty", "big.state.json", "big.state.json"], limitKB: 16, in: ws.url)
        #expect(status == 1 && reason == .exit, "a handled error, not SIGXFSZ: \(stderr)")
        #expect(stderr.contains("could not write the state file"), "\(stderr)")
        #expect(try Data(contentsOf: ws.url("big.state.json")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.url.path).allSatisfy { !$0.contains(".tmp-") }, "no temporary file left")
    }

    @Test("a disk that fills during an apply: non-zero exit, and the state on disk still reads, with nothing lost", .enabled(if: ProcessInfo.processInfo.environment["VPNFORM_SANITIZER"] == nil, "file-size limits break sanitizer runtimes"))
    func diskFullApply() throws {
        let ws = try workspace()
        ws.write("vpn.yaml", EstateGenerator(pairs: 40, connectionsPerGateway: 20, seed: 4).yaml())
        let (status, reason, stderr) = try runLimited(["apply", "-f", "vpn.yaml", "--state", "vpn.state.json", "--emulator", "--auto-approve", "--quiet", "--parallelism", "1"],
                                                      limitKB: 24, environment: ApplyEndToEndTests.psks, in: ws.url)
        #expect(status != 0 && reason == .exit, "\(stderr)")
        #expect(stderr.contains("could not"), "\(stderr)")
        let list = try BinaryRunner.run(["state", "list", "--state", "vpn.state.json"], in: ws.url)
        #expect(list.status == 0, "the state (and its journal) still read: \(list.stderr)")
        let lines = list.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        // Every pair recorded is either created with its ids or pending (the next apply looks for it).
        #expect(lines.allSatisfy { $0.contains("\tcreated\t") && !$0.contains("-,") || $0.contains("\tpending\t") })
    }
}

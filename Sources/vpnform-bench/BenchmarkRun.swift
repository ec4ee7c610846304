import Foundation
import VPNAPI
import VPNApply
import VPNCrypto
import VPNEmulator
import VPNForm

/// `vpnform-bench run`: every stage at every size, then (with `--apply`) apply throughput.
struct BenchmarkRun {
    var sizes = [1000, 10000]
    var runs = 5
    var apply = false
    var callgrind = false
    var dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vpnform-bench")

    init(arguments: [String]) {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch a {
            case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }; i += 1
            case "--runs": runs = max(1, Int(value) ?? 5); i += 1
            case "--dir": dir = URL(fileURLWithPath: value); i += 1
            case "--apply": apply = true
            case "--callgrind": callgrind = true
            default: fail("unknown option \(a)")
            }
            i += 1
        }
    }

    func run() async throws {
        print("vpnform-bench: \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; \(runs) runs per stage; median (min–max)\n")
        print("| pairs | YAML | stage | time (s) | × floor | peak RSS | RSS ÷ YAML size |")
        print("|---:|---:|---|---|---:|---:|---:|")
        var planMedians: [Int: Double] = [:], instructions: [Int: [Stage: Int]] = [:], floors: [Int: Double] = [:]
        for n in sizes {
            let yaml = dir.appendingPathComponent("estate-\(n).yaml").path
            if !FileManager.default.fileExists(atPath: yaml) || !FileManager.default.fileExists(atPath: StateStore.defaultPath(forDesired: yaml)) {
                // In a child too: Linux carries a process's peak RSS over fork and exec, so this
                // process must stay small for the children's numbers to be their own.
                try spawn(["generate", String(n), dir.path])
            }
            let size = (try FileManager.default.attributesOfItem(atPath: yaml)[.size] as? Int) ?? 1
            var floor = 0.0
            for stage in Stage.allCases {
                let samples = try (0..<runs).map { _ in try child(stage, yaml) }
                let times = samples.map(\.0).sorted(), peak = samples.map(\.1).max() ?? 0
                let median = times[times.count / 2]
                if stage == .floor { floor = median; floors[n] = median }
                if stage == .plan { planMedians[n] = median }
                if callgrind, stage != .render {
                    instructions[n, default: [:]][stage] = try Self.instructions(stage, yaml)
                }
                print(String(format: "| %d | %.1f MB | %@ | %.3f (%.3f–%.3f) | %.2f× | %d MB | %.1f× |",
                             n, Double(size) / 1e6, stage.rawValue, median, times.first!, times.last!, median / floor,
                             peak / 1024, Double(peak * 1024) / Double(size)))
            }
        }
        try realBinary(floors: floors, instructions: instructions)
        let sorted = sizes.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            if let ta = planMedians[a], let tb = planMedians[b] {
                print(String(format: "\nplan at %d pairs ÷ plan at %d pairs: %.2f× (%.0f× the pairs)", b, a, tb / ta, Double(b) / Double(a)))
            }
        }
        if callgrind {
            print("\n| pairs | stage | instructions (callgrind) | × floor |")
            print("|---:|---|---:|---:|")
            for n in sizes {
                for stage in Stage.allCases {
                    guard let count = instructions[n]?[stage], let floor = instructions[n]?[.floor] else { continue }
                    print(String(format: "| %d | %@ | %@ | %.2f× |", n, stage.rawValue, count.formatted(), Double(count) / Double(floor)))
                }
            }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                if let ia = instructions[a]?[.plan], let ib = instructions[b]?[.plan] {
                    print(String(format: "\nplan instructions at %d pairs ÷ at %d pairs: %.2f×", b, a, Double(ib) / Double(ia)))
                }
            }
        }
        if apply {
            try await waitingCPU()
            try await applyThroughput()
        }
    }

    /// The transport under measurement.
    static func transport() throws -> any HTTPTransport {
        try CurlTransport()
    }

    /// CPU seconds (user + system, whole process) per wall second while one request waits 2 s for
    /// its answer: what waiting costs, which should be next to nothing.
    func waitingCPU() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk,
                                                                                                   latency: .seconds(2))))
        defer { server.stop() }
        let client = try VPNClient(configuration: ClientConfiguration(endpoint: server.baseURL, projectID: "0123456789abcdef0123456789abcdef",
                                                                      credentials: Credentials(accessKey: ak, secretKey: sk)),
                                   transport: try Self.transport())
        func cpu() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        print("\n| waiting for one answer (2 s latency) | wall (s) | CPU (s) | CPU ÷ wall |")
        print("|---|---:|---:|---:|")
        for _ in 0..<3 {
            let cpu0 = cpu(), wall0 = Date()
            _ = try await client.listConnections(vgwID: "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8")
            let wall = Date().timeIntervalSince(wall0), used = cpu() - cpu0
            print(String(format: "| one list call | %.2f | %.3f | %.1f%% |", wall, used, used / wall * 100))
        }
        try await roundTrips()
    }

    /// What one call costs over the emulator's own time: 500 sequential list calls and batch-creates
    /// with no added latency.
    func roundTrips() async throws {
        let (ak, sk) = EmulatorConfiguration.randomCredentials()
        let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk)))
        defer { server.stop() }
        let client = try VPNClient(configuration: ClientConfiguration(endpoint: server.baseURL, projectID: "0123456789abcdef0123456789abcdef",
                                                                      credentials: Credentials(accessKey: ak, secretKey: sk)),
                                   transport: try Self.transport())
        let gateway = "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8"
        print("\n| sequential calls, no latency | calls | median (ms) | p90 (ms) |")
        print("|---|---:|---:|---:|")
        for kind in ["list", "batch-create"] {
            var times: [Double] = []
            for i in 0..<500 {
                let start = Date()
                if kind == "list" {
                    _ = try await client.listConnections(vgwID: gateway)
                } else {
                    _ = try await client.batchCreate(BatchCreateRequest(vpnConnections: [
                        CreateVPNConnection(name: "bench-\(i)", vgwID: gateway, vgwIP: "0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4", style: "static",
                                            cgwID: "12f3577a-cbd8-4602-b68c-ecbf792fcec5", peerSubnets: ["192.168.\(i % 250).0/24"],
                                            psk: Secret("Bench-Psk-\(i)"))]))
                }
                times.append(Date().timeIntervalSince(start) * 1000)
            }
            times.sort()
            print(String(format: "| %@ | %d | %.2f | %.2f |", kind, times.count, times[times.count / 2], times[times.count * 9 / 10]))
        }
    }

    /// The real `vpnform` binary on each estate: wall time and peak RSS as a user sees them, against
    /// the floor stage's time (and, with `--callgrind`, whole-process instructions at sizes up to
    /// 10,000 pairs against the floor stage's).
    func realBinary(floors: [Int: Double], instructions: [Int: [Stage: Int]]) throws {
        guard FileManager.default.isExecutableFile(atPath: RealBinary.path) else {
            print("\n(no vpnform beside vpnform-bench: the real binary is not measured)")
            return
        }
        print("\n| pairs | command (real binary) | time (s) | × floor | peak RSS | RSS ÷ YAML size |")
        print("|---:|---|---|---:|---:|---:|")
        var counts: [(Int, String, Int)] = []
        for n in sizes {
            let yaml = dir.appendingPathComponent("estate-\(n).yaml").path
            let size = (try FileManager.default.attributesOfItem(atPath: yaml)[.size] as? Int) ?? 1
            for command in RealBinary.commands(yaml: yaml, scratch: dir) {
                let samples = (0..<runs).map { _ in RealBinary.run(RealBinary.path, command.arguments) }
                let times = samples.map(\.0).sorted(), peak = samples.map(\.1).max() ?? 0
                let median = times[times.count / 2]
                print(String(format: "| %d | %@ | %.3f (%.3f–%.3f) | %.2f× | %d MB | %.1f× |", n, command.name,
                             median, times.first!, times.last!, median / (floors[n] ?? .nan), peak / 1024,
                             Double(peak * 1024) / Double(size)))
                if callgrind, n <= 10000 {
                    counts.append((n, command.name, try RealBinary.instructions(command.arguments)))
                }
            }
        }
        guard !counts.isEmpty else { return }
        print("\n| pairs | command (real binary, whole process) | instructions (callgrind) | × floor |")
        print("|---:|---|---:|---:|")
        for (n, name, count) in counts {
            let floor = Double(instructions[n]?[.floor] ?? 0)
            print(String(format: "| %d | %@ | %@ | %.2f× |", n, name, count.formatted(), Double(count) / floor))
        }
    }

    /// This executable.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()

    func spawn(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = Self.executable
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { fail("\(arguments.joined(separator: " ")) failed") }
    }

    /// One stage in a child process: (seconds, peak KB).
    func child(_ stage: Stage, _ file: String) throws -> (Double, Int) {
        let p = Process()
        p.executableURL = Self.executable
        p.arguments = ["stage", stage.rawValue, file]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let parts = text.split(separator: " ")
        guard p.terminationStatus == 0, parts.count == 2, let s = Double(parts[0]), let kb = Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            fail("stage \(stage.rawValue) failed: \(text)")
        }
        return (s, kb)
    }

    /// The instructions one stage executes, counted by `valgrind --tool=callgrind` around
    /// ``Stage/work(_:file:sequential:specs:)`` only (start-up and reading the file excluded).
    static func instructions(_ stage: Stage, _ file: String) throws -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["valgrind", "--tool=callgrind", "--toggle-collect=$s13vpnform_bench5StageO4work_4file10sequential5specsSiSays5UInt8VG_SSSbSayAJGtKF",
                       "--callgrind-out-file=/dev/null", executable.path, "stage", stage.rawValue, file, "--sequential"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, let line = text.split(separator: "\n").first(where: { $0.contains("Collected :") }),
              let count = Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) else {
            fail("callgrind of \(stage.rawValue) failed (is valgrind installed?)\n\(text.suffix(500))")
        }
        return count
    }

    /// 1,000 pairs against the in-process emulator with 50 ms latency, at parallelism 1, 4, 16, each
    /// beside the machine's floor: as many bare-socket calls with the same latency (``LoopbackFloor``).
    func applyThroughput() async throws {
        let n = 1000, latency = 0.05
        let (yaml, _) = try Estates.generate(pairs: n, in: dir.appendingPathComponent("apply"), withState: false)
        let loaded = try DesiredStateLoader().load(path: yaml)
        guard let desired = loaded.state else { fail("invalid estate") }
        print("\n| apply, \(n) pairs, \(Int(latency * 1000)) ms latency | pairs/s | ideal (parallelism ÷ latency) | ratio "
            + "| machine floor (bare sockets) | apply ÷ floor |")
        print("|---|---:|---:|---:|---:|---:|")
        for parallelism in [1, 4, 16] {
            let (ak, sk) = EmulatorConfiguration.randomCredentials()
            let server = try EmulatorServer(emulator: VPNEmulator(configuration: EmulatorConfiguration(accessKey: ak, secretKey: sk, latency: .milliseconds(Int(latency * 1000)))))
            defer { server.stop() }
            let client = try VPNClient(configuration: ClientConfiguration(endpoint: server.baseURL, projectID: "0123456789abcdef0123456789abcdef",
                                                                          credentials: Credentials(accessKey: ak, secretKey: sk)),
                                       transport: try Self.transport())
            let statePath = dir.appendingPathComponent("apply/p\(parallelism).state.json").path
            try? FileManager.default.removeItem(atPath: statePath)
            let state = StateFile.empty()
            let plan = Planner.plan(desired: desired, state: state)
            guard case .success(let (psks, _)) = PSKResolver.resolve(work: plan.entries, desired: desired, environment: [:], throwaway: true) else { fail("psks") }
            let executor = Executor(client: client, desired: desired, psks: psks,
                                    writer: StateWriter(store: StateStore(path: statePath), state: state, stateFileExists: false),
                                    options: .init(parallelism: parallelism))
            let report = await executor.run(plan)
            guard report.failed == 0 else { fail("apply failed: \(report.outcomes.first { !$0.succeeded }?.summary ?? "")") }
            let rate = Double(n) / report.seconds, ideal = Double(parallelism) / latency
            let floor = try LoopbackFloor.rate(calls: n, parallelism: parallelism, latency: latency)
            print(String(format: "| parallelism %d | %.1f | %.0f | %.1f%% | %.1f (%.1f%%) | %.1f%% |", parallelism, rate, ideal,
                         rate / ideal * 100, floor, floor / ideal * 100, rate / floor * 100))
        }
    }
}

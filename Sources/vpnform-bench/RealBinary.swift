import Foundation

/// The real `vpnform` executable, measured as a user runs it: whole-process wall time and peak
/// RSS (from `wait4`), and with `--callgrind` whole-process instructions (start-up included).
struct RealBinary {
    /// `vpnform` beside this executable.
    static let path = BenchmarkRun.executable.deletingLastPathComponent().appendingPathComponent("vpnform").path

    /// A command measured: its name in the table and its arguments.
    struct Command {
        var name: String
        var arguments: [String]
    }

    /// `validate`, `plan` against the estate's state, and `plan` with no state (every pair a create).
    static func commands(yaml: String, scratch: URL) -> [Command] {
        [
            Command(name: "vpnform validate", arguments: ["validate", "-f", yaml]),
            Command(name: "vpnform plan", arguments: ["plan", "-f", yaml]),
            Command(name: "vpnform plan, all creates",
                    arguments: ["plan", "-f", yaml, "--state", scratch.appendingPathComponent("none.state.json").path]),
            Command(name: "vpnform version (start-up)", arguments: ["version"]),
        ]
    }

    /// Runs `arguments` (output to /dev/null): (seconds, peak KB).
    static func run(_ executable: String, _ arguments: [String]) -> (Double, Int) {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let clock = ContinuousClock(), start = clock.now
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { fail("cannot run \(executable)") }
        var status: Int32 = 0, usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let c = (clock.now - start).components
        guard status == 0 else { fail("\(executable) \(arguments.joined(separator: " ")) failed (status \(status))") }
        return (Double(c.seconds) + Double(c.attoseconds) / 1e18, usage.ru_maxrss)
    }

    /// The instructions of the whole process under callgrind.
    static func instructions(_ arguments: [String]) throws -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", path] + arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Collected :") }),
              let count = Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) else {
            fail("callgrind of vpnform \(arguments.joined(separator: " ")) failed\n\(text.suffix(500))")
        }
        return count
    }
}

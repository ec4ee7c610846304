import Foundation

/// What a finished process left: its exit status and everything it printed.
public struct ProcessResult: Sendable {
    /// The exit status (or the signal's number when it was killed).
    public var status: Int32
    /// Why it ended: an exit or an uncaught signal.
    public var reason: Process.TerminationReason
    public var stdout: String
    public var stderr: String
}

/// Runs a program to completion and captures what it prints.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` in `directory`, the test's environment merged with
    /// `environment`, standard input from `input` (nothing when `nil`).
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        in directory: URL = Repository.root, input: Data? = nil
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a program found on `PATH` (`git`, `python3`, `sha256sum`).
    public static func run(
        tool: String, _ arguments: [String], environment: [String: String] = [:],
        in directory: URL = Repository.root, input: Data? = nil
    ) throws -> ProcessResult {
        try run(
            URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, environment: environment, in: directory,
            input: input)
    }
}

/// The built `vpnform` binary.
public enum BinaryRunner {
    /// `.build/<config>/vpnform`, next to the test bundle.
    public static var executable: URL {
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        let candidate = dir.appendingPathComponent("vpnform")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            let url = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("vpnform")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return candidate
    }

    /// Runs `vpnform` with `arguments`.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL = Repository.root,
        input: Data? = nil
    ) throws -> ProcessResult {
        try ProcessRunner.run(executable, arguments, environment: environment, in: directory, input: input)
    }
}

import Foundation

/// A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made
/// with the `openssl` command at test time (nothing secret is committed).
struct TestCA {
    let dir: URL
    var caCertificate: String { dir.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { dir.appendingPathComponent("server.pem").path }
    var serverKey: String { dir.appendingPathComponent("server.key").path }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Makes a CA named `name` and, unless `serverCertificate` is false, a server certificate it signs.
    static func make(name: String = "vpnform test CA", serverCertificate: Bool = true) throws -> TestCA {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vpnform-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ca = TestCA(dir: dir)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=\(name)"], in: dir)
        guard serverCertificate else { return ca }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: dir.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try run(["req", "-new"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: dir)
        try run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                 "-extfile", "san.ext", "-out", "server.pem"], in: dir)
        return ca
    }

    func remove() {
        try? FileManager.default.removeItem(at: dir)
    }

    private static func run(_ arguments: [String], in dir: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = dir
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "openssl \(arguments.first ?? ""): \(text)") }
    }
}

import Foundation

/// A `vpnform emulator` running as its own process, on a free loopback port.
public final class EmulatorProcess {
    public let process = Process()
    public let port: Int
    public let accessKey = "E2EACCESSKEY0000001"
    public let secretKey = "e2e-emulator-secret-key-0123456789"
    /// The `--data` file, when there is one.
    public let dataFile: URL?

    /// Starts an emulator; `gatewaysFrom` names a desired file whose gateways it should have.
    public init(arguments: [String] = [], dataFile: URL? = nil, gatewaysFrom: URL? = nil) throws {
        self.dataFile = dataFile
        process.executableURL = BinaryRunner.executable
        process.arguments = ["emulator"] + (dataFile.map { ["--data", $0.path] } ?? [])
            + (gatewaysFrom.map { ["--gateways-from", $0.path] } ?? []) + arguments
        var env = ProcessInfo.processInfo.environment
        env["HUAWEICLOUD_SDK_AK"] = accessKey
        env["HUAWEICLOUD_SDK_SK"] = secretKey
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is `listening on http://127.0.0.1:PORT`.
        var line = Data()
        let handle = out.fileHandleForReading
        let deadline = Date().addingTimeInterval(10)
        while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The environment an apply against this emulator needs.
    public var clientEnvironment: [String: String] { ["HUAWEICLOUD_SDK_AK": accessKey, "HUAWEICLOUD_SDK_SK": secretKey] }

    /// The connections in the data file: (id, name, vgw_ip).
    public func connections() throws -> [(id: String, name: String, vgwIP: String)] {
        guard let dataFile, let data = try? Data(contentsOf: dataFile) else { return [] }
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (object["connections"] as! [[String: Any]]).map {
            let c = $0["connection"] as! [String: Any]
            return (c["id"] as! String, c["name"] as! String, c["vgw_ip"] as! String)
        }
    }

    public func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

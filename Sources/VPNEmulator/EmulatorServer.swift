import Foundation
import LoopbackHTTP

/// An emulator served over real HTTP/1.1 on 127.0.0.1.
public final class EmulatorServer: Sendable {
    /// How the server speaks HTTP.
    public struct Options: Sendable {
        /// Whether connections stay open between requests, as the real API gateway keeps them. A
        /// dropped answer (`drop`, `drop-after-commit`) resets the connection either way, reused or not.
        public var keepAlive: Bool
        /// The PEM certificate chain and private key to serve https with; `nil` for plain http.
        public var tls: (certificateChain: String, privateKey: String)?

        public init(keepAlive: Bool = true, tls: (certificateChain: String, privateKey: String)? = nil) {
            self.keepAlive = keepAlive
            self.tls = tls
        }
    }

    /// The emulator behind the server.
    public let emulator: VPNEmulator
    private let server: LoopbackServer

    /// Starts serving `emulator` on `port` (0: any free port).
    /// - Throws: ``LoopbackServerError`` when the socket cannot be set up.
    public init(emulator: VPNEmulator, port: UInt16 = 0, options: Options = Options()) throws {
        self.emulator = emulator
        let tls = options.tls.map { TLSFiles(certificateChain: $0.certificateChain, privateKey: $0.privateKey) }
        server = try LoopbackServer(port: port, keepAlive: options.keepAlive, tls: tls) { request in
            let reply = emulator.handle(EmulatorRequest(
                method: request.method, target: request.target, headers: request.headers, body: request.body,
                connectionNumber: request.connectionNumber, earlierRequestsOnConnection: request.earlierRequestsOnConnection))
            switch reply {
            case .drop:
                return .resetConnection
            case let .respond(status, headers, body):
                return .respond(HTTPResponse(status: status, headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, body: body))
            }
        }
    }

    /// Connections accepted so far: with keep-alive, fewer than the requests.
    public var acceptedConnections: Int { server.acceptedConnections }

    /// The port it listens on.
    public var port: UInt16 { server.port }

    /// `http://127.0.0.1:PORT`, or `https://…` with TLS.
    public var baseURL: URL { URL(string: "\(server.scheme)://127.0.0.1:\(port)")! }

    /// Stops listening.
    public func stop() { server.stop() }
}

import Foundation
import VPNAPI
import VPNEmulator

/// Routes the client's requests straight into an emulator's handler, for fast executor tests.
/// (End-to-end tests use the same emulator over real loopback HTTP instead.)
struct InProcessTransport: HTTPTransport {
    let emulator: VPNEmulator

    func send(_ request: HTTPRequestMessage) async throws(TransportFailure) -> HTTPResponseMessage {
        var target = request.url.path
        if let q = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedQuery { target += "?\(q)" }
        let host = (request.url.host ?? "") + (request.url.port.map { ":\($0)" } ?? "")
        let reply = emulator.handle(EmulatorRequest(method: request.method, target: target, headers: request.headers + [("Host", host)], body: request.body))
        switch reply {
        case .drop:
            throw .lost(.emptyReply(host: request.url.host ?? "", port: request.url.port ?? 0))
        case let .respond(status, headers, body):
            return HTTPResponseMessage(status: status, headers: Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 }), body: body)
        }
    }
}

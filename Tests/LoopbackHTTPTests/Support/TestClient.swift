import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import LoopbackHTTP

/// One session for the whole test run: creating and invalidating sessions per request is what trips
/// the FoundationNetworking teardown races (swift-corelibs-foundation #4791).
let session: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 10
    configuration.httpMaximumConnectionsPerHost = 64
    return URLSession(configuration: configuration)
}()

extension LoopbackServer {
    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }
}

/// Sends a request through the shared session.
/// - Returns: The body and the HTTP response.
func fetch(
    _ url: URL,
    method: String = "GET",
    headers: [String: String] = [:],
    body: Data? = nil,
    timeout: TimeInterval = 10
) async throws -> (Data, HTTPURLResponse) {
    var request = URLRequest(url: url)
    // Set through the property: FoundationNetworking ignores the value given to
    // `URLRequest(url:timeoutInterval:)` and uses the session's `timeoutIntervalForRequest` instead.
    request.timeoutInterval = timeout
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body
    let (data, response) = try await session.data(for: request)
    return (data, response as! HTTPURLResponse)
}

/// The `URLError` a request fails with, or `nil` when it succeeds.
func urlErrorCode(of url: URL, timeout: TimeInterval = 5) async -> URLError.Code? {
    do {
        _ = try await fetch(url, method: "POST", body: Data("{}".utf8), timeout: timeout)
        return nil
    } catch let error as URLError {
        return error.code
    } catch {
        return URLError.Code(rawValue: -1)
    }
}

/// Runs blocking work on a fresh OS thread so it never occupies one of the (two) cooperative-pool threads.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Seconds elapsed while running `body`.
func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

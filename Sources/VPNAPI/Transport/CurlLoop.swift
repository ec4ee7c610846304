import CCurl
import CCurlShim
import Foundation

/// libcurl's process-wide initialisation, done once before the first handle (not thread-safe itself).
let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One thread that owns a curl multi handle: it adds submitted transfers, drives them, and hands each
/// finished one its result. Between events it sleeps in `curl_multi_poll`; `curl_multi_wakeup` (the one
/// multi call that is safe from another thread) wakes it for a new transfer, a cancellation or a stop.
///
/// Unchecked `Sendable`: `inbox` is touched only with `lock` held, and `multi` only by the loop thread
/// (wake-ups aside). The lock is an `NSLock` (a pthread mutex), not `Synchronization.Mutex`, whose
/// futex ThreadSanitizer cannot see.
final class CurlLoop: @unchecked Sendable {
    private struct Inbox {
        var submitted: [CurlTransfer] = []
        var stopping = false
    }

    let configuration: TransportConfiguration
    /// `CURLM *`; touched by the loop thread only, except `curl_multi_wakeup`.
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var inbox = Inbox()
    private let ended = DispatchSemaphore(value: 0)

    init(configuration: TransportConfiguration) throws(TransportSetupError) {
        guard curlGlobalInit == CURLE_OK else { throw .libcurl("curl_global_init: \(curlGlobalInit.rawValue)") }
        guard let multi = curl_multi_init() else { throw .libcurl("curl_multi_init") }
        self.multi = multi
        self.configuration = configuration
        // Idle keep-alive connections kept for reuse: enough for every worker at the largest parallelism.
        _ = vpnform_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 256)
        let thread = Thread { [self] in
            run()
            ended.signal()
        }
        thread.name = "vpnform-http"
        thread.start()
    }

    /// Hands a transfer to the loop; its continuation is resumed exactly once, from the loop thread.
    func submit(_ transfer: CurlTransfer) {
        let accepted = withInbox { inbox in
            guard !inbox.stopping else { return false }
            inbox.submitted.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted { transfer.finish(.failure(.notSent(.cancelled))) }
    }

    /// Asks the loop to abandon a transfer (its task was cancelled).
    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .releasing)
        // Under the lock: once `stop()` has set `stopping`, the loop may free the multi handle.
        withInbox { inbox in
            if !inbox.stopping { curl_multi_wakeup(multi) }
        }
    }

    /// Ends the loop, failing what is still in flight, and waits for the thread to finish.
    func stop() {
        withInbox { inbox in
            inbox.stopping = true
            curl_multi_wakeup(multi)
        }
        ended.wait()
    }

    private func withInbox<R>(_ body: (inout Inbox) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&inbox)
    }

    private func run() {
        // Every socket write happens on this thread. libcurl's own writes use MSG_NOSIGNAL, but with
        // CURLOPT_NOSIGNAL it does not guard OpenSSL's: a peer gone mid-write gives EPIPE here, not a
        // SIGPIPE that ends the process.
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipe, nil)
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        func end(_ handle: UnsafeMutableRawPointer, _ result: CURLcode?) {
            guard let transfer = active.removeValue(forKey: handle) else { return }
            curl_multi_remove_handle(multi, handle)
            transfer.complete(result)
        }
        while true {
            let (submitted, stopping) = withInbox { inbox in
                defer { inbox.submitted = [] }
                return (inbox.submitted, inbox.stopping)
            }
            for transfer in submitted {
                if curl_multi_add_handle(multi, transfer.handle) == CURLM_OK {
                    active[transfer.handle] = transfer
                } else {
                    transfer.finish(.failure(.notSent(.other(code: -1, detail: "curl_multi_add_handle failed"))))
                }
            }
            for (handle, transfer) in active where stopping || transfer.cancelRequested.load(ordering: .acquiring) {
                end(handle, nil)
            }
            if stopping { break }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                // Read before removing the handle: the message does not survive it.
                let result = message.pointee.data.result
                end(handle, result)
            }
            // Blocks in the kernel until a socket is ready, libcurl's next timeout, or a wakeup.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi)
    }
}

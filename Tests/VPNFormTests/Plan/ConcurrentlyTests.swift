import Foundation
import Testing
import VPNForm

@Suite struct ConcurrentlyTests {
    @Test("both pieces of work run, the second on another thread, at the same time")
    func bothRun() {
        let started = DispatchSemaphore(value: 0)
        let caller = pthread_self()
        let (overlapped, otherThread) = concurrently({
            // The other piece signals while this one waits: they run at the same time.
            started.wait(timeout: .now() + 10) == .success
        }, { () -> Bool in
            started.signal()
            return pthread_equal(pthread_self(), caller) == 0
        })
        #expect(overlapped)
        #expect(otherThread)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A moment on the monotonic clock that an emulator thread sleeps until: no drift from the work
/// done before it, resumed after `EINTR`.
struct Deadline {
    private var time = timespec()

    /// `duration` from now.
    init(after duration: Duration) {
        clock_gettime(CLOCK_MONOTONIC, &time)
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(time.tv_nsec) + Int(attoseconds / 1_000_000_000)
        time.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
        time.tv_nsec = nanoseconds % 1_000_000_000
    }

    /// Blocks the calling OS thread (never a Swift concurrency task's) until the deadline.
    func wait() {
        #if os(Linux)
        var time = self.time
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
        #else
        // No absolute sleep: sleep what is left, again after an early wake-up.
        while true {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = (Int(time.tv_sec) - Int(now.tv_sec)) * 1_000_000_000 + Int(time.tv_nsec) - Int(now.tv_nsec)
            guard left > 0 else { return }
            var request = timespec(tv_sec: left / 1_000_000_000, tv_nsec: left % 1_000_000_000)
            nanosleep(&request, nil)
        }
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A moment on the monotonic clock that an emulator thread sleeps until (`clock_nanosleep` with an
/// absolute time: no drift from the work done before it, resumed after `EINTR`).
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
        var time = self.time
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
    }
}

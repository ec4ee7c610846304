import Foundation
import TestSupport
import Testing
import VPNForm

@Suite struct StateLockTests {
    @Test("a second acquirer waits for the timeout, then fails naming the holder")
    func contention() throws {
        let scratch = Scratch()
        let state = scratch.path("s.json")
        let lock = try StateLock.acquire(statePath: state, command: "apply", timeout: 0)
        defer { lock.release() }
        let start = Date()
        do {
            _ = try StateLock.acquire(statePath: state, command: "plan", timeout: 0.3)
            Issue.record("acquired a held lock")
        } catch {
            let waited = Date().timeIntervalSince(start)
            #expect(waited >= 0.3)
            guard case .locked(_, let holder, _) = error else { Issue.record("\(error)"); return }
            #expect(holder.pid == getpid())
            #expect(holder.command == "apply")
            #expect(!holder.isStale)
            #expect(error.description.contains("held by pid \(getpid()) on host"))
        }
    }

    @Test("released locks can be taken again; a waiter gets the lock once it is released")
    func release() throws {
        let scratch = Scratch()
        let state = scratch.path("s.json")
        let first = try StateLock.acquire(statePath: state, command: "apply", timeout: 0)
        // A real thread: blocking waits must not depend on the (small) concurrency pool.
        Thread {
            usleep(200_000)
            first.release()
        }.start()
        let second = try StateLock.acquire(statePath: state, command: "plan", timeout: 5)
        second.release()
        #expect(!FileManager.default.fileExists(atPath: StateLock.lockPath(forState: state)))
    }

    @Test("a lock left by a dead process is reported as stale")
    func stale() throws {
        let scratch = Scratch()
        let state = scratch.path("s.json")
        let host = ProcessInfo.processInfo.hostName
        _ = scratch.write("s.json.lock", "{\"command\": \"apply\", \"host\": \"\(host)\", \"pid\": 2147483000, \"time\": \"2026-01-01T00:00:00Z\"}\n")
        #expect { try StateLock.acquire(statePath: state, command: "plan", timeout: 0) } throws: { error in
            guard case .locked(_, let holder, _)? = error as? StateError else { return false }
            return holder.isStale && "\(error)".contains("no longer running")
        }
        let (removed, holder) = StateLock.forceRemove(statePath: state)
        #expect(removed && holder?.pid == 2147483000 && holder?.isStale == true)
        try StateLock.acquire(statePath: state, command: "plan", timeout: 0).release()
    }

    @Test("a lock file with garbage in it is a clear error")
    func garbage() {
        let scratch = Scratch()
        _ = scratch.write("s.json.lock", "\u{0}\u{1}garbage")
        #expect { try StateLock.acquire(statePath: scratch.path("s.json"), command: "plan", timeout: 0) } throws: { error in
            guard case .unreadableLock(let path, _)? = error as? StateError else { return false }
            return path == scratch.path("s.json.lock") && "\(error)".contains("cannot be read")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the system calls the state store needs, retrying `EINTR` and turning
/// `errno` into a message.
enum POSIXFile {
    struct Failure: Error {
        let code: Int32
        let message: String
        init(_ what: String, _ code: Int32 = errno) {
            self.code = code
            message = "\(what): \(String(cString: strerror(code)))"
        }
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws(Failure) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw Failure("open \(path)") }
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("write")
            }
            offset += n
        }
    }

    static func readAll(_ path: String) throws(Failure) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var result: [UInt8] = []
        // Room for the whole file at once: growing by chunks would copy it again and again.
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size > 0 { result.reserveCapacity(Int(st.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("read \(path)")
            }
            if n == 0 { return result }
            result.append(contentsOf: buffer[..<n])
        }
    }

    static func fsync(_ fd: Int32) throws(Failure) {
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw Failure("fsync") }
        }
    }

    /// Whether `path` exists, without following a final symbolic link; and whether it is one.
    static func kind(_ path: String) -> (exists: Bool, isSymlink: Bool, isDirectory: Bool) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return (false, false, false) }
        let type = st.st_mode & S_IFMT
        return (true, type == S_IFLNK, type == S_IFDIR)
    }

    /// The permission bits of `path` (following links), or `nil` when it does not exist.
    static func mode(_ path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mode & 0o7777
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename over
    /// `path`, fsync of the folder. A crash leaves either the old file or the new one, never a mix.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(directory)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL)
        do {
            try writeAll(fd, bytes)
            try fsync(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = Failure("rename to \(path)")
            unlink(temporary)
            throw failure
        }
        let dfd = try open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(dfd) }
        try fsync(dfd)
    }
}

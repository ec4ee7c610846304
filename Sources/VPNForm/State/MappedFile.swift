#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only, whose pages a reader lets go as it moves past them, so that reading a
/// large state costs no copy of it and holds little of it in memory at once.
///
/// The state is read under its lock, and vpnform replaces it by renaming a new file over it, which
/// leaves a mapped old file whole. (A program that truncated the file in place meanwhile would
/// make the read fault, as with any mapped file.)
final class MappedFile {
    /// The file's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    /// Pages below this offset have been let go.
    private var released = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Let pages go a few MiB at a time: one `madvise` per pair would cost more than it saves.
    private static let releaseStep = 4 << 20

    /// Maps the regular file at `path`; `nil` when it is not one or cannot be opened or mapped
    /// (the caller then reads it, and reports what goes wrong as it always has).
    init?(regularFileAt path: String) {
        guard let fd = try? POSIXFile.open(path, O_RDONLY) else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(st.st_size)
        guard size > 0 else {
            mapping = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let failed = UnsafeMutableRawPointer(bitPattern: -1)  // MAP_FAILED, which Swift does not import everywhere
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != failed else { return nil }
        mapping = p
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// Lets go of the pages wholly below `offset`: they are read again from the file if touched
    /// (say, to locate an error).
    func release(below offset: Int) {
        guard let mapping, offset - released >= Self.releaseStep else { return }
        let end = offset & ~(Self.pageSize - 1)
        guard end > released else { return }
        _ = madvise(mapping + released, end - released, MADV_DONTNEED)
        released = end
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}

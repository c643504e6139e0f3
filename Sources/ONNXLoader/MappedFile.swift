#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped private and copy-on-write (writes never reach the file), unmapped
/// when the last reference goes. Tensors that view it keep it alive as their storage owner.
///
/// Truncating the file while it is mapped makes reads of the lost pages fault (SIGBUS); model and
/// data files are expected to stay put while loaded (bytes read with `read(at:count:into:)` are
/// checked instead).
final class MappedFile: @unchecked Sendable {
    /// The first byte (a one-byte dummy for an empty file, with `size` 0).
    let base: UnsafeMutableRawPointer
    let size: Int
    private let mapped: Bool
    /// The open file when kept (`keepDescriptor`), else -1; closed with the mapping.
    let descriptor: Int32

    /// Maps the file at `path`; `keepDescriptor` keeps it open for `read(at:count:into:)`.
    init(path: String, keepDescriptor: Bool = false) throws(LoadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadError(.cannotOpen(MappedFile.errnoText())) }
        descriptor = keepDescriptor ? fd : -1
        var closeNow = true   // on every error; when kept, the descriptor closes in deinit
        defer { if closeNow { close(fd) } }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LoadError(.cannotOpen(MappedFile.errnoText())) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw LoadError(.cannotOpen("not a regular file")) }
        let size = Int(st.st_size)
        guard size > 0 else {
            guard let dummy = malloc(1) else { throw LoadError(.cannotOpen("out of memory")) }
            (base, self.size, mapped) = (dummy, 0, false)
            closeNow = !keepDescriptor
            return
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw LoadError(.cannotOpen(MappedFile.errnoText())) }
        (base, self.size, mapped) = (p, size, true)
        closeNow = !keepDescriptor
    }

    deinit {
        if mapped { munmap(base, size) } else { free(base) }
        if descriptor >= 0 { close(descriptor) }
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    static let pageSize: Int = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? size : 4096
    }()

    /// Drops the resident pages that lie wholly inside `range` from this mapping; touching them
    /// again reads them from the file. Only for mappings nobody wrote to (private pages would be
    /// lost) and no tensor views.
    func release(_ range: Range<Int>) {
        guard mapped else { return }
        let mask = MappedFile.pageSize - 1
        let low = (max(range.lowerBound, 0) + mask) & ~mask, high = min(range.upperBound, size) & ~mask
        if high > low { _ = madvise(base + low, high - low, MADV_DONTNEED) }
    }

    /// Reads `count` bytes at file offset `offset` into `destination` with `pread` (the file is
    /// not mapped for them). Throws `truncated` when the file now ends before them. The
    /// destination's whole pages are populated first in one call (`MADV_POPULATE_WRITE`, Linux
    /// 5.14; ignored where unsupported) rather than faulted in one by one during the read.
    func read(at offset: Int, count: Int, into destination: UnsafeMutableRawPointer) throws(LoadError) {
        guard descriptor >= 0 else {
            destination.copyMemory(from: base + offset, byteCount: count)
            return
        }
        #if os(Linux)
        let mask = MappedFile.pageSize - 1
        let low = (Int(bitPattern: destination) + mask) & ~mask
        let high = (Int(bitPattern: destination) + count) & ~mask
        if high > low, let start = UnsafeMutableRawPointer(bitPattern: low) {
            _ = madvise(start, high - low, MADV_POPULATE_WRITE)
        }
        #endif
        var done = 0
        while done < count {
            let n = pread(descriptor, destination + done, count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                throw LoadError(.truncated(offset: offset + done))
            } else if errno != EINTR {
                throw LoadError(.cannotOpen("cannot read \(count) bytes at byte \(offset): \(MappedFile.errnoText())"))
            }
        }
    }

    static func errnoText() -> String {
        guard let s = strerror(errno) else { return "errno \(errno)" }
        return String(cString: s)
    }
}

/// A `malloc`'d block freed with the last tensor that views it (a `raw_data` buffer taken over
/// from protobuf-c).
final class MallocBlock: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
    deinit { free(pointer) }
}

/// Directory part of `path` (`"."` when it has none).
func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped private and copy-on-write (writes never reach the file), unmapped
/// when the last reference goes. Tensors that view it keep it alive as their storage owner.
///
/// Truncating the file while it is mapped makes reads of the lost pages fault (SIGBUS); model and
/// data files are expected to stay put while loaded.
final class MappedFile: @unchecked Sendable {
    /// The first byte (a one-byte dummy for an empty file, with `size` 0).
    let base: UnsafeMutableRawPointer
    let size: Int
    private let mapped: Bool

    init(path: String) throws(LoadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadError(.cannotOpen(MappedFile.errnoText())) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LoadError(.cannotOpen(MappedFile.errnoText())) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw LoadError(.cannotOpen("not a regular file")) }
        let size = Int(st.st_size)
        guard size > 0 else {
            guard let dummy = malloc(1) else { throw LoadError(.cannotOpen("out of memory")) }
            (base, self.size, mapped) = (dummy, 0, false)
            return
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw LoadError(.cannotOpen(MappedFile.errnoText())) }
        (base, self.size, mapped) = (p, size, true)
    }

    deinit {
        if mapped { munmap(base, size) } else { free(base) }
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

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

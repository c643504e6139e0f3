#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole (small) file: tokenizer JSON files and SentencePiece models.
///
/// Files larger than `limit` bytes are refused rather than read, so a wrong path (a device, a
/// weights file) cannot make the tokenizer allocate without bound.
func readFileBytes(_ path: String, limit: Int = 256 << 20) throws(TokenizerError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
        let code = errno
        throw TokenizerError(code == ENOENT ? .fileNotFound : .cannotRead(systemMessage(code)), file: path)
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw TokenizerError(.cannotRead(systemMessage(errno)), file: path) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw TokenizerError(.cannotRead("not a regular file"), file: path)
    }
    let size = Int(info.st_size)
    guard size <= limit else {
        throw TokenizerError(.cannotRead("\(size) bytes, more than the \(limit)-byte limit"), file: path)
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
        let n = bytes.withUnsafeMutableBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return read(fd, base + done, size - done)
        }
        if n < 0 {
            if errno == EINTR { continue }
            throw TokenizerError(.cannotRead(systemMessage(errno)), file: path)
        }
        if n == 0 { break }
        done += n
    }
    return done == size ? bytes : Array(bytes[..<done])
}

/// Throws unless `path` names an existing regular file (following symlinks).
func requireRegularFile(_ path: String) throws(TokenizerError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
        let code = errno
        throw TokenizerError(code == ENOENT ? .fileNotFound : .cannotRead(systemMessage(code)), file: path)
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw TokenizerError(.cannotRead("not a regular file"), file: path)
    }
}

private func systemMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

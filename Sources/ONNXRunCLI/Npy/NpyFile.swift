#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ONNXGraph

/// Reads and writes `.npy` files (format 1.0, 2.0, 3.0; C order; the dtypes of `NpyDType`).
///
/// Reading validates the header before allocating anything: the header length against the file,
/// the dict, the shape (non-negative, no overflow) and `product(shape) * itemsize` against the exact
/// number of data bytes the file holds. Booleans are normalized to 0/1.
package enum NpyFile {
    /// Reads `path` into a tensor whose `dataType` is `header.dtype.dataType`.
    package static func read(_ path: String) throws(NpyError) -> (header: NpyHeader, tensor: Tensor) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw NpyError.io("cannot open '\(path)': \(errnoText())") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw NpyError.io("cannot stat '\(path)': \(errnoText())") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw NpyError.io("'\(path)' is \((info.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file")")
        }
        let fileSize = Int(info.st_size)
        let prefixLength = min(fileSize, 12 + NpyHeader.maximumHeaderLength)
        var prefix = [UInt8](repeating: 0, count: prefixLength)
        let got = prefix.withUnsafeMutableBytes { readFully(fd, $0, offset: 0) }
        guard got == prefixLength else { throw NpyError.io("cannot read '\(path)': \(errnoText())") }
        let parsed = prefix.withUnsafeBytes { p in
            Result { () throws(NpyError) in try NpyHeader.parse(p, fileSize: fileSize) }
        }
        let (header, dataOffset) = try parsed.get()
        let needed = try header.dataByteCount()
        let available = fileSize - dataOffset
        guard available == needed else {
            throw NpyError.dataSizeMismatch(expected: needed, actual: available, shape: header.shape,
                                            dtype: header.dtype.descr)
        }
        let tensor: Tensor
        do {
            tensor = try Tensor(allocating: header.dtype.dataType, shape: header.shape)
        } catch {
            throw NpyError.io("cannot allocate \(needed) bytes for '\(path)': \(error)")
        }
        let n = readFully(fd, UnsafeMutableRawBufferPointer(start: tensor.data, count: needed), offset: dataOffset)
        guard n == needed else { throw NpyError.io("cannot read '\(path)': \(errnoText())") }
        if header.dtype == .bool {
            let b = tensor.data.assumingMemoryBound(to: UInt8.self)
            for i in 0..<needed where b[i] > 1 { b[i] = 1 }
        }
        return (header, tensor)
    }

    /// Writes `byteCount` bytes at `data` as an array of `header`, replacing `path`.
    /// `byteCount` must equal `header.dataByteCount()`. A symbolic link at `path` is not followed
    /// (the write fails), so a planted link cannot redirect the output elsewhere.
    package static func write(_ path: String, header: NpyHeader, data: UnsafeRawPointer, byteCount: Int) throws(NpyError) {
        guard (try? header.dataByteCount()) == byteCount else {
            throw NpyError.io("internal: \(byteCount) bytes do not match shape \(header.shape) of \(header.dtype)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw NpyError.io("cannot create '\(path)': \(errnoText())") }
        var ok = header.encoded().withUnsafeBytes { writeFully(fd, $0) }
        ok = ok && writeFully(fd, UnsafeRawBufferPointer(start: data, count: byteCount))
        let closed = close(fd) == 0
        guard ok && closed else { throw NpyError.io("cannot write '\(path)': \(errnoText())") }
    }

    /// Writes `tensor` with the npy dtype of its storage (see `NpyDType.init(exactly:)`).
    package static func write(_ path: String, tensor: Tensor) throws(NpyError) {
        guard let dtype = NpyDType(exactly: tensor.dataType) else {
            throw NpyError.io("\(tensor.dataType) has no .npy dtype")
        }
        try write(path, header: NpyHeader(dtype: dtype, shape: tensor.shape), data: tensor.data,
                  byteCount: tensor.byteCount)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Reads until `buffer` is full or end of file; returns the bytes read, -1 on error.
    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: Int) -> Int {
        var done = 0
        while done < buffer.count {
            guard let base = buffer.baseAddress else { return 0 }
            let chunk = min(buffer.count - done, 1 << 30)
            let n = pread(fd, base + done, chunk, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    private static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            guard let base = buffer.baseAddress else { return true }
            let n = Glibc.write(fd, base + done, min(buffer.count - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            done += n
        }
        return true
    }
}

import WasiNN
import WasmKit

/// A guest's linear memory with every access bounds-checked first.
///
/// WasmKit's `Memory.withUnsafe(Mutable)BufferPointer` only `precondition`s its range, which would
/// kill the host on a bad guest pointer; here each range `[ptr, ptr + len)` is checked in 64-bit
/// arithmetic (a `u32` pointer plus a `u32`-derived length cannot overflow it) against the memory's
/// current size, and a failure becomes `invalid_argument`. Accesses are unaligned-safe and little-endian.
struct GuestMemory {
    let memory: Memory
    let size: UInt64

    init(_ memory: Memory) {
        self.memory = memory
        self.size = UInt64(memory.byteCount)
    }

    /// The memory the calling instance exports as `memory`; `missing_memory` otherwise.
    init(_ caller: borrowing Caller) throws(NNError) {
        guard let m = caller.instance?.exports[memory: "memory"] else {
            throw NNError(.missingMemory, "the guest exports no memory named 'memory'")
        }
        self.init(m)
    }

    func check(_ ptr: UInt32, _ len: UInt64, _ what: StaticString) throws(NNError) {
        guard len <= size, UInt64(ptr) <= size - len else {
            throw NNError.argument("\(what): bytes [\(ptr), \(UInt64(ptr) + len)) are outside guest memory (\(size) bytes)")
        }
    }

    func u32(_ ptr: UInt32, _ what: StaticString) throws(NNError) -> UInt32 {
        try check(ptr, 4, what)
        return memory.withUnsafeBufferPointer(offset: UInt(ptr), count: 4) {
            UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))
        }
    }

    func u8(_ ptr: UInt32, _ what: StaticString) throws(NNError) -> UInt8 {
        try check(ptr, 1, what)
        return memory.withUnsafeBufferPointer(offset: UInt(ptr), count: 1) { $0[0] }
    }

    /// Stores `value` at `ptr`; the caller checked the range beforehand.
    func storeU32(_ ptr: UInt32, _ value: UInt32) {
        memory.withUnsafeMutableBufferPointer(offset: UInt(ptr), count: 4) {
            $0.storeBytes(of: value.littleEndian, as: UInt32.self)
        }
    }

    /// Runs `body` on guest bytes `[ptr, ptr + len)` after checking them.
    func read<R>(_ ptr: UInt32, _ len: UInt64, _ what: StaticString,
                 _ body: (UnsafeRawBufferPointer) throws(NNError) -> R) throws(NNError) -> R {
        try check(ptr, len, what)
        var result: Result<R, NNError>!
        memory.withUnsafeBufferPointer(offset: UInt(ptr), count: Int(len)) { raw in
            do throws(NNError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Runs `body` on writable guest bytes `[ptr, ptr + len)` after checking them.
    func write<R>(_ ptr: UInt32, _ len: UInt64, _ what: StaticString,
                  _ body: (UnsafeMutableRawBufferPointer) throws(NNError) -> R) throws(NNError) -> R {
        try check(ptr, len, what)
        var result: Result<R, NNError>!
        memory.withUnsafeMutableBufferPointer(offset: UInt(ptr), count: Int(len)) { raw in
            do throws(NNError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Reads the 20-byte witx `tensor` record at `ptr`:
    /// `dims_ptr u32 @0 | dims_len u32 @4 | type u8 @8 (3 padding bytes, ignored) | data_ptr u32 @12 | data_len u32 @16`.
    func tensorRecord(_ ptr: UInt32) throws(NNError) -> (dims: [Int], type: UInt8, dataPtr: UInt32, dataLen: UInt32) {
        try check(ptr, 20, "tensor record")
        let dimsPtr = try u32(ptr, "tensor record"), dimsLen = try u32(ptr &+ 4, "tensor record")
        let type = try u8(ptr &+ 8, "tensor record")
        let dataPtr = try u32(ptr &+ 12, "tensor record"), dataLen = try u32(ptr &+ 16, "tensor record")
        let dims = try read(dimsPtr, UInt64(dimsLen) * 4, "tensor dims") { (raw) throws(NNError) -> [Int] in
            (0..<Int(dimsLen)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        try check(dataPtr, UInt64(dataLen), "tensor data")
        return (dims, type, dataPtr, dataLen)
    }

    /// The UTF-8 string at `[ptr, ptr + len)` (not NUL-terminated).
    func string(_ ptr: UInt32, _ len: UInt32, _ what: StaticString) throws(NNError) -> String {
        try read(ptr, UInt64(len), what) { (raw) throws(NNError) -> String in String(decoding: raw, as: UTF8.self) }
    }
}

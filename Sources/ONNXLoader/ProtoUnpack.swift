#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COnnxProto

/// Depth guard and protobuf-c unpacking. protobuf-c has no recursion limit, so every buffer is
/// scanned by `onnx_guard_*` (no allocation) before `unpack` sees it.
enum ProtoUnpack {
    /// Deepest message nesting accepted (as C++ protobuf, upb and swift-protobuf default to).
    static let depthLimit = 100
    /// Status the guard returns for input that ends inside a field (onnx_guard.c).
    static let guardTruncated = Int32(ONNX_GUARD_TRUNCATED)

    /// An allocator whose blocks of 4 KiB and more are 64-byte aligned (`TensorStorage.alignment`),
    /// so large `raw_data` copies can become tensor storage as they are. Every block is `free`able.
    static func allocator() -> ProtobufCAllocator {
        ProtobufCAllocator(
            alloc: { _, size in
                if size >= 4096 {
                    var p: UnsafeMutableRawPointer?
                    let rounded = (size + 63) & ~63
                    return posix_memalign(&p, 64, rounded) == 0 ? p : nil
                }
                return malloc(max(size, 1))
            },
            free: { _, p in free(p) },
            allocator_data: nil)
    }

    /// Throws the guard's verdict on `bytes` as a message of type `descriptor`.
    static func checkDepth(_ bytes: UnsafeRawBufferPointer,
                           descriptor: UnsafePointer<ProtobufCMessageDescriptor>) throws(LoadError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let r = onnx_guard_message_depth(descriptor, base.assumingMemoryBound(to: UInt8.self), bytes.count,
                                         Int32(depthLimit))
        let offset = Int(r.offset)
        switch r.status {
        case _ where r.status >= 0: return
        case Int32(ONNX_GUARD_TOO_DEEP): throw LoadError(.tooDeep(limit: depthLimit, offset: offset))
        case guardTruncated: throw LoadError(.truncated(offset: offset))
        default: throw LoadError(.malformed(offset: offset))
        }
    }

    /// Throws the guard's verdict on `bytes` as a ModelProto.
    static func checkModelDepth(_ bytes: UnsafeRawBufferPointer) throws(LoadError) {
        try withUnsafePointer(to: onnx__model_proto__descriptor) { (d) throws(LoadError) in
            try checkDepth(bytes, descriptor: d)
        }
    }

    /// Runs `body` on the unpacked ModelProto; frees the tree afterwards (buffers `body` took over
    /// and nulled out excepted). `guarded`: `checkModelDepth` already accepted these bytes (or
    /// bytes with the same nesting).
    static func withModel<R>(_ bytes: UnsafeRawBufferPointer, guarded: Bool = false,
                             _ body: (UnsafeMutablePointer<Onnx__ModelProto>) throws(LoadError) -> R) throws(LoadError) -> R {
        if !guarded { try checkModelDepth(bytes) }
        var alloc = allocator()
        let model = withBase(bytes) { onnx__model_proto__unpack(&alloc, bytes.count, $0) }
        guard let model else { throw LoadError(.malformed(offset: nil)) }
        defer { onnx__model_proto__free_unpacked(model, &alloc) }
        return try body(model)
    }

    /// Runs `body` on the unpacked TensorProto; frees the tree afterwards.
    static func withTensor<R>(_ bytes: UnsafeRawBufferPointer,
                              _ body: (UnsafeMutablePointer<Onnx__TensorProto>) throws(LoadError) -> R) throws(LoadError) -> R {
        try withUnsafePointer(to: onnx__tensor_proto__descriptor) { (d) throws(LoadError) in
            try checkDepth(bytes, descriptor: d)
        }
        var alloc = allocator()
        let tensor = withBase(bytes) { onnx__tensor_proto__unpack(&alloc, bytes.count, $0) }
        guard let tensor else { throw LoadError(.malformed(offset: nil)) }
        defer { onnx__tensor_proto__free_unpacked(tensor, &alloc) }
        return try body(tensor)
    }

    private static func withBase<R>(_ bytes: UnsafeRawBufferPointer, _ f: (UnsafePointer<UInt8>) -> R) -> R {
        if let b = bytes.baseAddress, bytes.count > 0 { return f(b.assumingMemoryBound(to: UInt8.self)) }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { f($0) }
    }
}

/// A C string field as Swift (`""` when unset). Invalid UTF-8 is repaired.
@inline(__always)
func str(_ p: UnsafeMutablePointer<CChar>?) -> String {
    guard let p else { return "" }
    return String(cString: p)
}

/// A `bytes` field as a Swift string, invalid UTF-8 repaired.
@inline(__always)
func str(_ b: ProtobufCBinaryData) -> String {
    guard let d = b.data, b.len > 0 else { return "" }
    return String(decoding: UnsafeBufferPointer(start: d, count: b.len), as: UTF8.self)
}

/// A repeated message field as a Swift sequence of non-nil pointers.
@inline(__always)
func items<T>(_ p: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ n: Int) -> [UnsafeMutablePointer<T>] {
    guard let p, n > 0 else { return [] }
    return UnsafeBufferPointer(start: p, count: n).compactMap { $0 }
}

/// A repeated string field.
@inline(__always)
func strings(_ p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ n: Int) -> [String] {
    guard let p, n > 0 else { return [] }
    return UnsafeBufferPointer(start: p, count: n).map { str($0) }
}

/// `metadata_props` / `external_data` entries as a dictionary (later keys win).
func entries(_ p: UnsafeMutablePointer<UnsafeMutablePointer<Onnx__StringStringEntryProto>?>?, _ n: Int) -> [String: String] {
    var d: [String: String] = [:]
    for e in items(p, n) { d[str(e.pointee.key)] = str(e.pointee.value) }
    return d
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COnnxProto
import ONNXGraph

/// TensorProto → `Tensor`, for every storage form ONNX writes:
/// - `raw_data`: little-endian elements; sub-byte types packed low bits first (int4/uint4/float4e2m1
///   two to a byte, int2/uint2 four, float6 as a 6-bit LSB-first stream);
/// - typed fields: `float_data` (float, complex64 as pairs), `int32_data` (int32; one element per
///   entry for 16- and 8-bit types, bool and float8/float6 types; one *packed byte* per entry for
///   4- and 2-bit types), `int64_data`, `uint64_data` (uint32, uint64), `double_data` (double,
///   complex128 as pairs), `string_data`;
/// - external data (`data_location = EXTERNAL`), read through `ExternalFiles`;
/// - a `RawDataSplit` marker in `raw_data` (large payloads cut out before unpacking), read through
///   `ExternalFiles.payloads`.
///
/// Dims, element count and data size are validated before anything is allocated, so an
/// allocation is never larger than a fixed multiple of bytes present in the input.
enum TensorConverter {
    /// Converts `tp`, errors carrying `tensor '<name>'` in their context.
    static func tensor(_ tp: UnsafeMutablePointer<Onnx__TensorProto>, external: ExternalFiles) throws(LoadError) -> Tensor {
        do { return try convert(tp, external: external) }
        catch { throw error.within("tensor '\(str(tp.pointee.name))'") }
    }

    /// Validated element type and shape of `tp`.
    static func header(_ tp: UnsafeMutablePointer<Onnx__TensorProto>) throws(LoadError) -> (DataType, [Int], Int) {
        let t = tp.pointee
        guard t.has_data_type != 0, t.data_type != 0 else {
            throw LoadError(t.has_data_type != 0 ? .unknownDataType(0) : .missingField("data_type"))
        }
        guard let dt = DataType(rawValue: t.data_type) else { throw LoadError(.unknownDataType(t.data_type)) }
        let dims = t.dims.map { Array(UnsafeBufferPointer(start: $0, count: t.n_dims)) } ?? []
        var count = 1
        for d in dims {
            guard d >= 0 else { throw LoadError(.negativeDimension(dims)) }
            guard d <= Int64(Int.max) else { throw LoadError(.elementCountOverflow(dims)) }
            let (m, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw LoadError(.elementCountOverflow(dims)) }
            count = m
        }
        // Storage bytes must be representable too (packed size is at most storage size).
        guard !count.multipliedReportingOverflow(by: max(dt.storageSize, 1)).overflow,
              dt.packedByteCount(elements: count) != nil || dt == .string
        else { throw LoadError(.elementCountOverflow(dims)) }
        return (dt, dims.map { Int($0) }, count)
    }

    private static func convert(_ tp: UnsafeMutablePointer<Onnx__TensorProto>, external: ExternalFiles) throws(LoadError) -> Tensor {
        let (dt, shape, count) = try header(tp)
        let t = tp.pointee
        guard t.segment == nil else { throw LoadError(.unsupportedTensor("segmented tensor (TensorProto.segment)")) }
        if t.has_data_location != 0, t.data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL {
            guard dt != .string else { throw LoadError(.unsupportedTensor("string tensor with external data")) }
            let expected = dt.packedByteCount(elements: count) ?? 0
            let (file, offset) = try external.locate(entries(t.external_data, t.n_external_data), expected: expected)
            let p = file.base + offset
            let adoptable = !dt.isSubByte && dt != .bool && Int(bitPattern: p) % TensorStorage.alignment == 0
                && external.claimView(file, offset..<(offset + expected))
            return try fromPacked(UnsafeRawPointer(p), dt, shape, count,
                                  adopt: adoptable ? { TensorStorage(viewing: p, byteCount: expected, owner: file) } : nil)
        }
        if t.has_raw_data != 0 {
            guard dt != .string else { throw LoadError(.unsupportedTensor("raw_data on a string tensor")) }
            let expected = dt.packedByteCount(elements: count) ?? 0
            if let payloads = external.payloads, let marker = t.raw_data.data,
               let tensor = try payloads.tensor(marker: UnsafeRawBufferPointer(start: marker, count: t.raw_data.len),
                                                dt, shape, count, expected: expected) {
                return tensor
            }
            guard t.raw_data.len == expected else { throw LoadError(.tensorDataSize(expected: expected, actual: t.raw_data.len)) }
            guard let data = t.raw_data.data, expected > 0 else {
                return try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
            }
            // protobuf-c's copy is 64-byte aligned when ProtoUnpack's allocator made it large: take
            // it over instead of copying again.
            let raw = UnsafeMutableRawPointer(data)
            return try fromPacked(UnsafeRawPointer(raw), dt, shape, count,
                                  adopt: Int(bitPattern: raw) % TensorStorage.alignment != 0 ? nil : {
                tp.pointee.raw_data.data = nil
                tp.pointee.raw_data.len = 0
                tp.pointee.has_raw_data = 0
                return TensorStorage(viewing: raw, byteCount: expected, owner: MallocBlock(raw))
            })
        }
        return try typed(t, dt, shape, count)
    }

    /// Builds a tensor from wire-form bytes (`packedByteCount` of them, already bounds-checked).
    /// `adopt`, when given (the bytes are aligned and may be kept), wraps the bytes as storage
    /// without a copy; it is used only when the storage form equals the wire form.
    static func fromPacked(_ src: UnsafeRawPointer, _ dt: DataType, _ shape: [Int], _ count: Int,
                           adopt: (() -> TensorStorage)?) throws(LoadError) -> Tensor {
        if dt.isSubByte {
            let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
            SubByte.unpack(src.assumingMemoryBound(to: UInt8.self), into: tensor.elements(UInt8.self), count: count, dt)
            return tensor
        }
        if dt == .bool {
            let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
            let s = src.assumingMemoryBound(to: UInt8.self), d = tensor.elements(UInt8.self)
            for i in 0..<count { d[i] = s[i] != 0 ? 1 : 0 }
            return tensor
        }
        if let adopt {
            let storage = adopt()
            return try graphResult { () throws(GraphError) in try Tensor(dataType: dt, shape: shape, storage: storage) }
        }
        let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
        tensor.data.copyMemory(from: src, byteCount: tensor.byteCount)
        return tensor
    }

    // MARK: typed fields

    private static func typed(_ t: Onnx__TensorProto, _ dt: DataType, _ shape: [Int], _ count: Int) throws(LoadError) -> Tensor {
        switch dt {
        case .string:
            guard t.n_string_data == count else { throw LoadError(.tensorDataSize(expected: count, actual: t.n_string_data)) }
            let values = t.string_data.map { p in (0..<count).map { str(p[$0]) } } ?? []
            return try graphResult { () throws(GraphError) in try Tensor(strings: values, shape: shape) }
        case .float:
            return try copy(t.float_data, t.n_float_data, count, dt, shape)
        case .complex64:
            return try copy(t.float_data, t.n_float_data, 2 * count, dt, shape)
        case .double:
            return try copy(t.double_data, t.n_double_data, count, dt, shape)
        case .complex128:
            return try copy(t.double_data, t.n_double_data, 2 * count, dt, shape)
        case .int32:
            return try copy(t.int32_data, t.n_int32_data, count, dt, shape)
        case .int64:
            return try copy(t.int64_data, t.n_int64_data, count, dt, shape)
        case .uint64:
            return try copy(t.uint64_data, t.n_uint64_data, count, dt, shape)
        case .uint32:
            return try convert(t.uint64_data, t.n_uint64_data, count, dt, shape) { UInt32(truncatingIfNeeded: $0) }
        case .int16, .uint16, .float16, .bfloat16:
            return try convert(t.int32_data, t.n_int32_data, count, dt, shape) { UInt16(truncatingIfNeeded: $0) }
        case .bool:
            return try convert(t.int32_data, t.n_int32_data, count, dt, shape) { UInt8($0 != 0 ? 1 : 0) }
        case .float6e2m3, .float6e3m2:
            return try convert(t.int32_data, t.n_int32_data, count, dt, shape) { UInt8(truncatingIfNeeded: $0) & 0x3F }
        case .int8, .uint8, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0:
            return try convert(t.int32_data, t.n_int32_data, count, dt, shape) { UInt8(truncatingIfNeeded: $0) }
        case .int4, .uint4, .float4e2m1, .int2, .uint2:
            // One packed byte per int32 entry.
            let perByte = 8 / dt.bitWidth
            let bytes = (count + perByte - 1) / perByte
            guard t.n_int32_data == bytes else { throw LoadError(.tensorDataSize(expected: bytes, actual: t.n_int32_data)) }
            let packed = (0..<bytes).map { UInt8(truncatingIfNeeded: t.int32_data?[$0] ?? 0) }
            let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
            packed.withUnsafeBufferPointer { p in
                if let b = p.baseAddress { SubByte.unpack(b, into: tensor.elements(UInt8.self), count: count, dt) }
            }
            return tensor
        }
    }

    /// Copies `n` entries that are already in storage form; `expected` entries are required.
    private static func copy<T>(_ src: UnsafeMutablePointer<T>?, _ n: Int, _ expected: Int, _ dt: DataType,
                                _ shape: [Int]) throws(LoadError) -> Tensor {
        guard n == expected else { throw LoadError(.tensorDataSize(expected: expected, actual: n)) }
        let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
        if let src, n > 0 { tensor.data.copyMemory(from: src, byteCount: n * MemoryLayout<T>.stride) }
        return tensor
    }

    /// Narrows `n` wide entries to storage form `D`; `expected` entries are required.
    private static func convert<S, D>(_ src: UnsafeMutablePointer<S>?, _ n: Int, _ expected: Int, _ dt: DataType,
                                      _ shape: [Int], _ f: (S) -> D) throws(LoadError) -> Tensor {
        guard n == expected else { throw LoadError(.tensorDataSize(expected: expected, actual: n)) }
        let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
        if let src {
            let d = tensor.data.assumingMemoryBound(to: D.self)
            for i in 0..<n { d[i] = f(src[i]) }
        }
        return tensor
    }
}

/// Maps an IR construction error into a `LoadError`.
@inline(__always)
func graphResult<R>(_ body: () throws(GraphError) -> R) throws(LoadError) -> R {
    do { return try body() } catch { throw LoadError(error) }
}

/// Unpacking of sub-byte wire forms into one element per byte.
enum SubByte {
    /// `src` holds `dt.packedByteCount(elements: count)` bytes. int4/int2 are sign-extended; the
    /// other types keep their code in the low bits.
    static func unpack(_ src: UnsafePointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>, count: Int, _ dt: DataType) {
        let signed = dt == .int4 || dt == .int2
        switch dt.bitWidth {
        case 4:
            for i in 0..<count {
                let b = src[i >> 1]
                let v = (i & 1 == 0) ? b & 0x0F : b >> 4
                dst[i] = signed ? UInt8(bitPattern: Int8(bitPattern: v << 4) >> 4) : v
            }
        case 2:
            for i in 0..<count {
                let v = (src[i >> 2] >> UInt8((i & 3) * 2)) & 0x03
                dst[i] = signed ? UInt8(bitPattern: Int8(bitPattern: v << 6) >> 6) : v
            }
        case 6:
            for i in 0..<count {
                let bit = i * 6, byte = bit >> 3, shift = bit & 7
                var v = UInt16(src[byte]) >> UInt16(shift)
                if shift > 2 { v |= UInt16(src[byte + 1]) << UInt16(8 - shift) }
                dst[i] = UInt8(truncatingIfNeeded: v) & 0x3F
            }
        default:
            break
        }
    }
}

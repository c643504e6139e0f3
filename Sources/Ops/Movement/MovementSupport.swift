import CKernels
import ONNXGraph

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers shared by the Movement ops: reading small integer inputs (shapes, axes, starts),
/// strided copies for every element type (byte-width types through `ck_copy_strided`, strings in
/// Swift), and shape-fact arithmetic.
enum Movement {
    /// The values of a small int32/int64 tensor (a shape, axes, starts, repeats), as `Int`s.
    /// Meant for parameter tensors, not data.
    static func ints(_ t: Tensor, input: Int) throws(OpError) -> [Int] {
        switch t.dataType {
        case .int64:
            let p = t.elements(Int64.self)
            return (0..<t.count).map { Int(p[$0]) }
        case .int32:
            let p = t.elements(Int32.self)
            return (0..<t.count).map { Int(p[$0]) }
        default:
            throw OpError.type(input, t.dataType)
        }
    }

    /// A 1-D (or scalar) int tensor's values; rejects higher ranks.
    static func vector(_ t: Tensor, input: Int, name: String) throws(OpError) -> [Int] {
        guard t.rank <= 1 else { throw OpError.shape("\(name) must be 1-D, got shape \(t.shape)") }
        return try ints(t, input: input)
    }

    /// A single int from a scalar or one-element tensor.
    static func scalar(_ t: Tensor, input: Int, name: String) throws(OpError) -> Int {
        let v = try ints(t, input: input)
        guard v.count == 1 else { throw OpError.shape("\(name) must hold one value, got shape \(t.shape)") }
        return v[0]
    }

    /// Row-major element strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] { Broadcast.contiguousStrides(shape) }

    /// Normalizes `axes` against `rank` (negative counts from the end) and rejects repeats.
    static func normalizeAxes(_ axes: [Int], rank: Int, name: String = "axes") throws(OpError) -> [Int] {
        var seen = Array(repeating: false, count: rank)
        var out: [Int] = []
        out.reserveCapacity(axes.count)
        for a in axes {
            let n = a < 0 ? a + rank : a
            guard n >= 0, n < rank else {
                throw OpError(.invalidAttribute(name, "\(a) is out of range for rank \(rank)"))
            }
            guard !seen[n] else { throw OpError(.invalidAttribute(name, "axis \(a) is repeated")) }
            seen[n] = true
            out.append(n)
        }
        return out
    }

    /// Axis for ops that require rank >= 1.
    static func axis(_ axis: Int, rank: Int) throws(OpError) -> Int {
        guard rank >= 1 else { throw OpError.shape("input must have rank >= 1, got a scalar") }
        return try NodeAttributes.normalizeAxis(axis, rank: rank)
    }

    /// Wraps a computed shape error from the IR.
    static func elementCount(_ shape: [Int]) throws(OpError) -> Int {
        do { return try Tensor.elementCount(shape) } catch { throw OpError(error) }
    }

    static func reshape(_ t: Tensor, _ shape: [Int]) throws(OpError) -> Tensor {
        do { return try t.reshaped(shape) } catch { throw OpError(error) }
    }

    /// Throws unless a string tensor of `shape` fits the allocation limit numeric tensors have
    /// (counting one `String` value per element); check before building the array.
    static func checkStringCount(_ shape: [Int]) throws(OpError) {
        let n = try elementCount(shape)
        guard n <= TensorStorage.maximumByteCount / MemoryLayout<String>.stride else {
            throw OpError(.graph(.allocationTooLarge(bytes: Int.max)))
        }
    }

    /// A string tensor holding `strings` (count must match `shape`).
    static func strings(_ strings: [String], shape: [Int]) throws(OpError) -> Tensor {
        do { return try Tensor(strings: strings, shape: shape) } catch { throw OpError(error) }
    }

    /// Allocates a tensor of `shape` and fills it with the strided view of `source` that starts at
    /// element `offset` and walks `strides` (element units, any sign, 0 broadcasts). The caller
    /// guarantees every addressed element lies inside `source`.
    static func copyStrided(_ source: Tensor, offset: Int, shape: [Int], strides: [Int],
                            _ io: inout OpIO) throws(OpError) -> Tensor {
        if source.dataType == .string {
            try checkStringCount(shape)
            return try strings(stringsStrided(source.storage.strings, offset: offset, shape: shape, strides: strides),
                               shape: shape)
        }
        let out = try io.allocate(source.dataType, shape)
        try copyStrided(source, offset: offset, shape: shape, strides: strides, into: out.data)
        return out
    }

    /// The byte-width strided copy of `copyStrided(_:offset:shape:strides:_:)` into `dst`.
    static func copyStrided(_ source: Tensor, offset: Int, shape: [Int], strides: [Int],
                            into dst: UnsafeMutableRawPointer) throws(OpError) {
        let es = source.dataType.storageSize
        let shape64 = shape.map { Int64($0) }, strides64 = strides.map { Int64($0) }
        let src = source.data + offset * es
        let rc = shape64.withUnsafeBufferPointer { sp in
            strides64.withUnsafeBufferPointer { tp in
                ck_copy_strided(dst, src, es, Int32(shape.count), sp.baseAddress, tp.baseAddress)
            }
        }
        guard rc == 0 else { throw OpError.shape("rank \(shape.count) exceeds the supported \(CK_MOVE_MAX_RANK)") }
    }

    /// The string form of the strided copy (row-major over `shape`).
    static func stringsStrided(_ src: [String], offset: Int, shape: [Int], strides: [Int]) -> [String] {
        var total = 1
        for d in shape { total *= d }
        var out: [String] = []
        out.reserveCapacity(total)
        guard total > 0 else { return out }
        let rank = shape.count
        if rank == 0 { return [src[offset]] }
        var c = Array(repeating: 0, count: rank)
        var pos = offset
        while true {
            let inner = strides[rank - 1]
            for x in 0..<shape[rank - 1] { out.append(src[pos + x * inner]) }
            var j = rank - 2
            while j >= 0 {
                pos += strides[j]
                c[j] += 1
                if c[j] < shape[j] { break }
                pos -= strides[j] * shape[j]
                c[j] = 0
                j -= 1
            }
            if j < 0 { break }
        }
        return out
    }

    /// Copies `count` elements from `src` (element offset `from`) into `dst` (element offset `to`);
    /// both tensors have the same non-string type.
    @inline(__always)
    static func copyElements(from src: Tensor, _ from: Int, to dst: Tensor, _ to: Int, count: Int) {
        let es = src.dataType.storageSize
        if count > 0 { memcpy(dst.data + to * es, src.data + from * es, count * es) }
    }
}

// MARK: - Shape facts

extension Movement {
    /// The input's fact, or unknown.
    static func fact(_ inputs: [TensorType?], _ i: Int) -> TensorType {
        i < inputs.count ? inputs[i] ?? .unknown : .unknown
    }

    /// Unknown dims of a known rank.
    static func unknownDims(_ rank: Int) -> [Dim] { Array(repeating: .unknown, count: rank) }

    /// The length of a 1-D input when its fact says so (e.g. a shape input of shape [4]).
    static func vectorLength(_ t: TensorType) -> Int? {
        guard let dims = t.dims else { return nil }
        if dims.isEmpty { return 1 }
        guard dims.count == 1 else { return nil }
        return dims[0].value
    }
}

import ONNXGraph

/// How a scale (and its zero point, which must have the same shape) maps onto the elements of `x`
/// in QuantizeLinear / DequantizeLinear.
///
/// `x` is viewed as `[outer, axisLen, inner]` around the quantization axis.
/// - per-tensor: the scale has one element (a scalar or shape `[1]`; the zero point likewise);
/// - per-axis: the scale is 1-D of length `axisLen` (`block_size` 0);
/// - blocked (opset 21+, `block_size` B > 0): the scale has x's rank and shape except
///   `ceil(axisLen / B)` on the axis; element `(o, a, i)` uses scale `(o, a / B, i)`.
struct QuantLayout: Sendable {
    enum Mode: Sendable { case tensor, axis, blocked }
    let mode: Mode
    let outer: Int, axisLen: Int, inner: Int
    /// Scales along the axis (blocked: `ceil(axisLen / blockSize)`).
    let scaleAxisLen: Int
    let blockSize: Int

    init(x: [Int], scale: [Int], zeroPoint: [Int]?, axis: Int, blockSize: Int) throws(OpError) {
        let scaleCount: Int, zeroPointCount: Int
        do throws(GraphError) {
            scaleCount = try Tensor.elementCount(scale)
            zeroPointCount = try zeroPoint.map { (z) throws(GraphError) in try Tensor.elementCount(z) } ?? scaleCount
        } catch { throw OpError(error) }
        // One-element scale and zero point may differ in rank (`[]` and `[1]`: the node tests do it).
        if let zeroPoint, zeroPoint != scale, !(scaleCount == 1 && zeroPointCount == 1) {
            throw OpError.shape("zero point shape \(zeroPoint) differs from scale shape \(scale)")
        }
        guard blockSize >= 0 else { throw OpError(.invalidAttribute("block_size", "must be positive, got \(blockSize)")) }
        self.blockSize = Swift.max(blockSize, 1)
        if scaleCount == 1 {
            mode = .tensor
            outer = 1
            axisLen = 1
            inner = x.reduce(1, *)
            scaleAxisLen = 1
            return
        }
        let rank = x.count
        let a = try NodeAttributes.normalizeAxis(axis, rank: rank)
        guard rank > 0 else { throw OpError.shape("a scale of shape \(scale) needs a non-scalar input") }
        outer = x[..<a].reduce(1, *)
        axisLen = x[a]
        inner = x[(a + 1)...].reduce(1, *)
        if blockSize == 0 {
            guard scale.count == 1, scale[0] == axisLen else {
                throw OpError.shape("per-axis scale must be 1-D of length \(axisLen) (axis \(a) of \(x)), got \(scale)")
            }
            mode = .axis
            scaleAxisLen = axisLen
        } else {
            guard scale.count == rank else {
                throw OpError.shape("blocked scale must have the rank of the input \(x), got \(scale)")
            }
            let blocks = axisLen == 0 ? 0 : (axisLen - 1) / blockSize + 1
            for d in 0..<rank where d != a && scale[d] != x[d] {
                throw OpError.shape("blocked scale \(scale) must match the input \(x) except on axis \(a)")
            }
            guard scale[a] == blocks else {
                throw OpError.shape("blocked scale has \(scale[a]) blocks on axis \(a); \(x[a]) elements in blocks of \(blockSize) need \(blocks)")
            }
            mode = .blocked
            scaleAxisLen = blocks
        }
    }

    /// Calls `body(offset, count, scaleIndex, perElement)` for runs of `x` that cover it once in order:
    /// with `perElement` false the run uses scale `scaleIndex` throughout; with it true, element
    /// `offset + k` uses scale `scaleIndex + k`.
    @inline(__always)
    func forEachRun(_ body: (Int, Int, Int, Bool) throws(OpError) -> Void) throws(OpError) {
        switch mode {
        case .tensor:
            try body(0, inner, 0, false)
        case .axis:
            if inner == 1 {
                for o in 0..<outer { try body(o * axisLen, axisLen, 0, true) }
            } else {
                for o in 0..<outer {
                    for a in 0..<axisLen { try body((o * axisLen + a) * inner, inner, a, false) }
                }
            }
        case .blocked:
            if inner == 1 {
                for o in 0..<outer {
                    var a = 0
                    while a < axisLen {
                        let n = Swift.min(blockSize, axisLen - a)
                        try body(o * axisLen + a, n, o * scaleAxisLen + a / blockSize, false)
                        a += n
                    }
                }
            } else {
                for o in 0..<outer {
                    for a in 0..<axisLen {
                        try body((o * axisLen + a) * inner, inner, (o * scaleAxisLen + a / blockSize) * inner, true)
                    }
                }
            }
        }
    }
}

/// Scratch memory for one evaluation, freed by `deallocate()`.
struct Scratch<T> {
    let pointer: UnsafeMutablePointer<T>
    init(_ count: Int) { pointer = .allocate(capacity: Swift.max(count, 1)) }
    func deallocate() { pointer.deallocate() }
}

enum QuantValues {
    /// The values of a float-like (or int32) tensor as floats, into `out` (`t.count` elements).
    static func floats(_ t: Tensor, into out: UnsafeMutablePointer<Float>) {
        let n = t.count
        switch t.dataType {
        case .float: out.update(from: t.elements(Float.self), count: n)
        case .int32:
            let p = t.elements(Int32.self)
            for i in 0..<n { out[i] = Float(p[i]) }
        default:
            withUnsafeTemporaryAllocation(of: Double.self, capacity: CastEngine.chunk) { buf in
                let b = buf.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(CastEngine.chunk, n - start)
                    CastEngine.readFloats(t, start, m, b)
                    for i in 0..<m { out[start + i] = Float(b[i]) }
                    start += m
                }
            }
        }
    }

    /// The values of an integer tensor as Int32 (all quantized integer types fit).
    static func ints(_ t: Tensor, into out: UnsafeMutablePointer<Int32>) {
        let n = t.count
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: CastEngine.chunk) { buf in
            let b = buf.baseAddress!
            var start = 0
            while start < n {
                let m = Swift.min(CastEngine.chunk, n - start)
                CastEngine.readInts(t, start, m, b)
                for i in 0..<m { out[start + i] = Int32(truncatingIfNeeded: b[i]) }
                start += m
            }
        }
    }

    /// Integer range of a quantized integer type.
    static func range(_ t: DataType) -> (Int32, Int32)? {
        switch t {
        case .uint8: (0, 255)
        case .int8: (-128, 127)
        case .uint16: (0, 65535)
        case .int16: (-32768, 32767)
        case .uint4: (0, 15)
        case .int4: (-8, 7)
        case .uint2: (0, 3)
        case .int2: (-2, 1)
        default: nil
        }
    }
}

import CKernels
import Kernels
import ONNXGraph
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The evaluation shared by Softmax and LogSoftmax.
///
/// Before opset 13 the input is coerced to 2-D [prod(dims < axis), prod(dims >= axis)] and
/// normalized along the second dim (default axis 1); from opset 13 it is normalized along the one
/// axis (default -1). Float32 (and float16/bfloat16, staged through float32) runs in the C kernel
/// (MLAS's exp polynomial, within a few ulp); double runs in Swift with libm's exp and log.
struct SoftmaxCore: Hashable, Sendable {
    let axis: Int
    let coerce2D: Bool
    let logarithm: Bool
    let types: Set<DataType>

    init(_ node: NodeAttributes, logarithm: Bool) throws(OpError) {
        guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
        coerce2D = node.opset < 13
        axis = try node.int("axis", default: coerce2D ? 1 : -1)
        self.logarithm = logarithm
        types = node.opset >= 13 ? [.float, .double, .float16, .bfloat16] : [.float, .double, .float16]
    }

    /// (outer, n, inner) of the normalization for `shape`; throws when the axis is out of range.
    func layout(_ shape: [Int]) throws(OpError) -> (outer: Int, n: Int, inner: Int) {
        let rank = shape.count
        if rank == 0 {
            guard axis == 0 || axis == -1 else {
                throw OpError(.invalidAttribute("axis", "\(axis) is out of range for rank 0"))
            }
            return (1, 1, 1)
        }
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw OpError(.invalidAttribute("axis", "\(axis) is out of range for rank \(rank)")) }
        let outer = ReductionShape.product(shape[..<a])
        if coerce2D { return (outer, ReductionShape.product(shape[a...]), 1) }
        return (outer, shape[a], ReductionShape.product(shape[(a + 1)...]))
    }

    func inferTypes(_ inputs: [TensorType?]) throws(OpError) -> [TensorType] {
        guard let x = inputs.first ?? nil else { return [.unknown] }
        if let shape = x.staticShape { _ = try layout(shape) }
        return [x]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard types.contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        let (outer, n, inner) = try layout(x.shape)
        let y = try io.allocate(x.dataType, x.shape)
        defer { io.setOutput(0, y) }
        if x.count == 0 { return }
        if x.dataType == .double {
            SoftmaxCore.run(x.elements(Double.self), y.elements(Double.self), outer, n, inner, logarithm)
            return
        }
        let src = NormFloatStaging(x)
        defer { src.release() }
        let dst = y.dataType == .float ? y.elements(Float.self) : src.pointer
        let scratch = inner > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: 2 * inner) : nil
        defer { scratch?.deallocate() }
        let tier = ReduceKernelTier.current
        if logarithm {
            ck_log_softmax_f32(tier, src.pointer, dst, outer, n, inner, scratch)
        } else {
            ck_softmax_f32(tier, src.pointer, dst, outer, n, inner, scratch)
        }
        if y.dataType != .float { NormFloatStaging.store(dst, count: x.count, into: y) }
    }

    /// Double precision softmax along the middle axis of [outer × n × inner].
    static func run(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ outer: Int, _ n: Int,
                    _ inner: Int, _ logarithm: Bool) {
        for o in 0..<outer {
            for j in 0..<inner {
                let base = o * n * inner + j
                var m = -Double.infinity
                for r in 0..<n {
                    let v = x[base + r * inner]
                    if v > m || v.isNaN { m = v }
                }
                var s = 0.0
                if logarithm {
                    for r in 0..<n { s += exp(x[base + r * inner] - m) }
                    let ls = log(s)
                    for r in 0..<n { y[base + r * inner] = (x[base + r * inner] - m) - ls }
                } else {
                    for r in 0..<n {
                        let e = exp(x[base + r * inner] - m)
                        y[base + r * inner] = e
                        s += e
                    }
                    for r in 0..<n { y[base + r * inner] /= s }
                }
            }
        }
    }
}

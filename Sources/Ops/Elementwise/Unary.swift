#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import ONNXGraph

/// A unary math function for the float types (and, where the op allows, integers). float32 runs
/// through a C kernel; float16/bfloat16 are widened to Float in chunks, run through the same kernel
/// and rounded back once; double computes with `double(_:)`.
protocol UnaryMath {
    /// y = f(x) over n contiguous floats (y may equal x).
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int)
    static func double(_ x: Double) -> Double
    /// The integer form; the default computes in Double and truncates toward zero, saturating.
    static func int<T: FixedWidthInteger>(_ x: T) -> T
}

extension UnaryMath {
    @inline(__always) static func int<T: FixedWidthInteger>(_ x: T) -> T { saturatingTruncate(double(Double(x))) }
}

/// Which element types a unary op accepts beyond float, double, float16 and bfloat16.
enum UnaryIntegers: Hashable, Sendable {
    case none
    /// int8, int16, int32, int64 (Relu, opset 14).
    case signed
    /// Every int and uint width (Erf, opsets 9–12).
    case all
}

/// Evaluates `K` on input 0 into an output of the same type and shape.
func evaluateUnary<K: UnaryMath>(_: K.Type, _ io: inout OpIO, integers: UnaryIntegers) throws(OpError) {
    let x = try io.required(0)
    let out = try io.allocate(x.dataType, x.shape)
    let n = x.count
    switch x.dataType {
    case .float: K.f32(x.elements(Float.self), out.elements(Float.self), n)
    case .double:
        let p = x.elements(Double.self), r = out.elements(Double.self)
        for i in 0..<n { r[i] = K.double(p[i]) }
    case .float16: unaryHalf(K.self, Float16Codec.self, x, out)
    case .bfloat16: unaryHalf(K.self, BFloat16Codec.self, x, out)
    case .int8 where integers != .none: unaryInt(K.self, Int8.self, x, out)
    case .int16 where integers != .none: unaryInt(K.self, Int16.self, x, out)
    case .int32 where integers != .none: unaryInt(K.self, Int32.self, x, out)
    case .int64 where integers != .none: unaryInt(K.self, Int64.self, x, out)
    case .uint8 where integers == .all: unaryInt(K.self, UInt8.self, x, out)
    case .uint16 where integers == .all: unaryInt(K.self, UInt16.self, x, out)
    case .uint32 where integers == .all: unaryInt(K.self, UInt32.self, x, out)
    case .uint64 where integers == .all: unaryInt(K.self, UInt64.self, x, out)
    default: throw OpError.type(0, x.dataType)
    }
    io.setOutput(0, out)
}

private func unaryInt<K: UnaryMath, T: FixedWidthInteger>(_: K.Type, _: T.Type, _ x: Tensor, _ out: Tensor) {
    let p = x.elements(T.self), r = out.elements(T.self)
    for i in 0..<x.count { r[i] = K.int(p[i]) }
}

/// Elements per chunk when widening 16-bit floats for a float32 kernel.
private let halfChunk = 256

private func unaryHalf<K: UnaryMath, H: HalfCodec>(_: K.Type, _: H.Type, _ x: Tensor, _ out: Tensor) {
    let p = x.elements(UInt16.self), r = out.elements(UInt16.self)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: halfChunk) { buf in
        guard let f = buf.baseAddress else { return }
        var start = 0
        while start < x.count {
            let m = min(halfChunk, x.count - start)
            for i in 0..<m { f[i] = H.toFloat(p[start + i]) }
            K.f32(f, f, m)
            for i in 0..<m { r[start + i] = H.fromFloat(f[i]) }
            start += m
        }
    }
}

/// Output type of a unary op: the input's type.
func inferUnary(_ inputs: [TensorType?]) -> [TensorType] {
    [inputs.first.flatMap { $0 } ?? .unknown]
}

/// Checks a unary op's node has exactly one input.
func requireOneInput(_ node: NodeAttributes) throws(OpError) {
    guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
}

enum SqrtMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_sqrt, ck_f32_sqrt__avx2, ck_f32_sqrt__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { x.squareRoot() }
}

enum ReciprocalMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_reciprocal, ck_f32_reciprocal__avx2, ck_f32_reciprocal__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { 1 / x }
}

enum ErfMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_erf, ck_f32_erf__avx2, ck_f32_erf__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { erf(x) }
}

enum TanhMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_tanh, ck_f32_tanh__avx2, ck_f32_tanh__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { tanh(x) }
}

enum SigmoidMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_sigmoid, ck_f32_sigmoid__avx2, ck_f32_sigmoid__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}

/// max(x, 0); NaN passes through; integers exactly.
enum ReluMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_relu, ck_f32_relu__avx2, ck_f32_relu__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { x < 0 ? 0 : x }
    @inline(__always) static func int<T: FixedWidthInteger>(_ x: T) -> T { x < 0 ? 0 : x }
}

/// 0.5 x (1 + erf(x / √2)), as 0.5 x erfc(-x / √2).
enum GeluErfMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_gelu, ck_f32_gelu__avx2, ck_f32_gelu__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { 0.5 * x * erfc(-x * 0.70710678118654752440) }
}

/// 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), as x / (1 + exp(-2u)).
enum GeluTanhMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_gelu_tanh, ck_f32_gelu_tanh__avx2, ck_f32_gelu_tanh__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double {
        let u = 0.79788456080286535588 * (x + 0.044715 * x * x * x)
        return x / (1 + exp(-2 * u))
    }
}


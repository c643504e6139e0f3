import CKernels
import ONNXGraph

/// One of the four arithmetic ops (Add, Sub, Mul, Div) for every numeric element type.
/// Integers wrap on overflow (two's complement); integer division truncates toward zero like C,
/// and division by zero gives 0 (ONNX leaves it undefined). Floats follow IEEE arithmetic;
/// float16/bfloat16 compute in Float and round once to nearest even.
protocol ArithKind {
    static func int<T: FixedWidthInteger>(_ a: T, _ b: T) -> T
    static func float(_ a: Float, _ b: Float) -> Float
    static func double(_ a: Double, _ b: Double) -> Double
    /// y = a ∘ b over n contiguous floats.
    static func f32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int)
    /// y = a ∘ c.
    static func f32c(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int)
    /// y = c ∘ a.
    static func f32rc(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int)
}

enum AddKind: ArithKind {
    @inline(__always) static func int<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &+ b }
    @inline(__always) static func float(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a + b }
    static func f32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vadd, ck_f32_vadd__avx2, ck_f32_vadd__avx512)(a, b, y, n)
    }
    static func f32c(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vaddc, ck_f32_vaddc__avx2, ck_f32_vaddc__avx512)(a, c, y, n)
    }
    static func f32rc(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vaddc, ck_f32_vaddc__avx2, ck_f32_vaddc__avx512)(a, c, y, n)
    }
}

enum SubKind: ArithKind {
    @inline(__always) static func int<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &- b }
    @inline(__always) static func float(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a - b }
    static func f32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vsub, ck_f32_vsub__avx2, ck_f32_vsub__avx512)(a, b, y, n)
    }
    static func f32c(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vsubc, ck_f32_vsubc__avx2, ck_f32_vsubc__avx512)(a, c, y, n)
    }
    static func f32rc(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vrsubc, ck_f32_vrsubc__avx2, ck_f32_vrsubc__avx512)(a, c, y, n)
    }
}

enum MulKind: ArithKind {
    @inline(__always) static func int<T: FixedWidthInteger>(_ a: T, _ b: T) -> T { a &* b }
    @inline(__always) static func float(_ a: Float, _ b: Float) -> Float { a * b }
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a * b }
    static func f32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vmul, ck_f32_vmul__avx2, ck_f32_vmul__avx512)(a, b, y, n)
    }
    static func f32c(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vmulc, ck_f32_vmulc__avx2, ck_f32_vmulc__avx512)(a, c, y, n)
    }
    static func f32rc(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vmulc, ck_f32_vmulc__avx2, ck_f32_vmulc__avx512)(a, c, y, n)
    }
}

enum DivKind: ArithKind {
    /// Truncating division; 0 for a zero divisor; T.min / -1 wraps to T.min.
    @inline(__always) static func int<T: FixedWidthInteger>(_ a: T, _ b: T) -> T {
        b == 0 ? 0 : a.dividedReportingOverflow(by: b).partialValue
    }
    @inline(__always) static func float(_ a: Float, _ b: Float) -> Float { a / b }
    @inline(__always) static func double(_ a: Double, _ b: Double) -> Double { a / b }
    static func f32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vdiv, ck_f32_vdiv__avx2, ck_f32_vdiv__avx512)(a, b, y, n)
    }
    static func f32c(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vdivc, ck_f32_vdivc__avx2, ck_f32_vdivc__avx512)(a, c, y, n)
    }
    static func f32rc(_ a: UnsafePointer<Float>, _ c: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_vrdivc, ck_f32_vrdivc__avx2, ck_f32_vrdivc__avx512)(a, c, y, n)
    }
}

enum IntArith<K: ArithKind, T: FixedWidthInteger & BitwiseCopyable>: BinaryFn {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { K.int(a, b) }
}

enum DoubleArith<K: ArithKind>: BinaryFn {
    @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { K.double(a, b) }
}

enum HalfArith<K: ArithKind, H: HalfCodec>: BinaryFn {
    @inline(__always) static func apply(_ a: UInt16, _ b: UInt16) -> UInt16 {
        H.fromFloat(K.float(H.toFloat(a), H.toFloat(b)))
    }
}

/// Evaluates arithmetic op `K` on the node's two inputs (numpy broadcasting, or the legacy rule).
func evaluateArithmetic<K: ArithKind>(_ kind: K.Type, _ io: inout OpIO, legacy: LegacyBroadcast?) throws(OpError) {
    let (a, b, plan) = try planBinary(io, legacy: legacy)
    io.setOutput(0, try arithmetic(kind, a, b, plan, io))
}

/// `a ∘ b` broadcast by `plan` into a new tensor from `io`'s allocator. a and b must share a type.
func arithmetic<K: ArithKind>(_ kind: K.Type, _ a: Tensor, _ b: Tensor, _ plan: BroadcastPlan, _ io: OpIO) throws(OpError) -> Tensor {
    try requireSameType(a, b, input: 1)
    let out = try io.allocate(a.dataType, plan.outShape)
    switch a.dataType {
    case .float: runFloat32(kind, plan, a, b, out)
    case .double: runBinary(DoubleArith<K>.self, plan, a, b, out)
    case .float16: runBinary(HalfArith<K, Float16Codec>.self, plan, a, b, out)
    case .bfloat16: runBinary(HalfArith<K, BFloat16Codec>.self, plan, a, b, out)
    case .int8: runBinary(IntArith<K, Int8>.self, plan, a, b, out)
    case .int16: runBinary(IntArith<K, Int16>.self, plan, a, b, out)
    case .int32: runBinary(IntArith<K, Int32>.self, plan, a, b, out)
    case .int64: runBinary(IntArith<K, Int64>.self, plan, a, b, out)
    case .uint8: runBinary(IntArith<K, UInt8>.self, plan, a, b, out)
    case .uint16: runBinary(IntArith<K, UInt16>.self, plan, a, b, out)
    case .uint32: runBinary(IntArith<K, UInt32>.self, plan, a, b, out)
    case .uint64: runBinary(IntArith<K, UInt64>.self, plan, a, b, out)
    default: throw OpError.type(0, a.dataType)
    }
    return out
}

/// float32 runs go through the C kernels: array ∘ array, array ∘ scalar, scalar ∘ array.
private func runFloat32<K: ArithKind>(_: K.Type, _ plan: BroadcastPlan, _ a: Tensor, _ b: Tensor, _ out: Tensor) {
    let pa = UnsafePointer(a.elements(Float.self)), pb = UnsafePointer(b.elements(Float.self))
    let pr = out.elements(Float.self)
    let n = plan.inner, sa = plan.innerStride0, sb = plan.innerStride1
    plan.forEachRun { (oa, ob, _, or) in
        switch (sa, sb) {
        case (1, 1): K.f32(pa + oa, pb + ob, pr + or, n)
        case (1, _): K.f32c(pa + oa, pb[ob], pr + or, n)
        case (_, 1): K.f32rc(pb + ob, pa[oa], pr + or, n)
        default:
            let v = K.float(pa[oa], pb[ob])
            (pr + or).update(repeating: v, count: n)
        }
    }
}

/// Output type of an arithmetic op: the inputs' element type over their broadcast shape.
func inferArithmetic(_ inputs: [TensorType?], legacy: LegacyBroadcast?) throws(OpError) -> [TensorType] {
    [try BroadcastInference.type(BroadcastInference.firstType(inputs), inputs, legacy: legacy)]
}

import CKernels
import ONNXGraph

/// ONNX `Ceil` (opsets 1–13): Y = ⌈X⌉ elementwise (NaN, ±inf and ±0 pass through; -0.5 gives -0).
/// Types: float, double, float16, bfloat16 (opset 13). `consumed_inputs` (opset 1) is ignored.
public struct Ceil: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(CeilMath.self, &io, integers: .none)
    }
}

enum CeilMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_ceil, ck_f32_ceil__avx2, ck_f32_ceil__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { x.rounded(.up) }
}

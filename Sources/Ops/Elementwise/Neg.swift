import CKernels
import ONNXGraph

/// ONNX `Neg` (opsets 1–13): Y = -X elementwise. Types: float, double, float16, bfloat16 (opset 13)
/// and, from opset 6, int8, int16, int32, int64 (two's complement: -min wraps to min). Floats flip
/// the sign bit (NaN stays NaN, -0 ↔ 0). `consumed_inputs` (opset 1) is ignored.
public struct Neg: Operator, Hashable {
    let integers: UnaryIntegers

    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
        integers = node.opset >= 6 ? .signed : .none
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(NegMath.self, &io, integers: integers)
    }
}

enum NegMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_neg, ck_f32_neg__avx2, ck_f32_neg__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { -x }
    @inline(__always) static func int<T: FixedWidthInteger>(_ x: T) -> T { 0 &- x }
}

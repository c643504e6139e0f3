#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import ONNXGraph

/// ONNX `Exp` (opsets 1–13): Y = eˣ elementwise. Types: float, double, float16, bfloat16 (opset 13).
/// float32 runs the tiered `ck_f32_exp` (relative error below 1e-6 for normal results; +inf above
/// 88.72283, 0 below -104); float16/bfloat16 go through the same kernel and round once; double
/// uses `exp`. `consumed_inputs` (opset 1) is ignored.
public struct Exp: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(ExpMath.self, &io, integers: .none)
    }
}

enum ExpMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        F32Tier.pick(ck_f32_exp, ck_f32_exp__avx2, ck_f32_exp__avx512)(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { exp(x) }
}

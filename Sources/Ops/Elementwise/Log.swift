#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import ONNXGraph

/// ONNX `Log` (opsets 1–13): Y = ln X elementwise (NaN for X < 0, -inf for 0). Types: float, double,
/// float16, bfloat16 (opset 13); float32 uses the C library's `logf`
/// (`ck_f32_log`); float16/bfloat16 compute in Float and round once.
/// `consumed_inputs` (opset 1) is ignored.
public struct Log: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(LogMath.self, &io, integers: .none)
    }
}

enum LogMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        ck_f32_log(x, y, n)
    }
    @inline(__always) static func double(_ x: Double) -> Double { log(x) }
}

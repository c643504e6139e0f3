import ONNXGraph

/// ONNX `Round` (opsets 11–22): Y = X rounded to the nearest integer, halves to even (2.5 → 2,
/// -1.5 → -2), elementwise; NaN, ±inf and ±0 pass through. Types: float, double, float16,
/// bfloat16 (opset 22). float16/bfloat16 round their exact Float value, so the result is exact.
public struct Round: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(RoundMath.self, &io, integers: .none)
    }
}

enum RoundMath: UnaryMath {
    static func f32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = x[i].rounded(.toNearestOrEven) }
    }
    @inline(__always) static func double(_ x: Double) -> Double { x.rounded(.toNearestOrEven) }
}

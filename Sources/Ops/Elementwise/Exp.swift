import ONNXGraph

/// ONNX `Exp`: Y = exp(X) elementwise (opsets 1–13): +inf on overflow, 0 on underflow.
/// Types: float, double, float16, bfloat16. float32 relative error below 1e-6 for normal results.
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

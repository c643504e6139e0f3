import ONNXGraph

/// ONNX `Erf`: Y = erf(X) elementwise (opsets 9–13). Types: float, double, float16, bfloat16,
/// and (opsets 9–12) every integer width, computed in Double and truncated toward zero.
/// float32 relative error below 3e-7 (vectorized polynomial kernel).
public struct Erf: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(ErfMath.self, &io, integers: .all)
    }
}

import ONNXGraph

/// ONNX `Floor`: Y = ⌊X⌋ elementwise (opsets 1–13). Types: float, double, float16, bfloat16.
public struct Floor: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(FloorMath.self, &io, integers: .none)
    }
}

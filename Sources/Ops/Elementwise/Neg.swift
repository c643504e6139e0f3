import ONNXGraph

/// ONNX `Neg`: Y = -X elementwise (opsets 1–13). Types: float, double, float16, bfloat16,
/// int8, int16, int32, int64 (integers wrap: -min == min).
public struct Neg: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(NegMath.self, &io, integers: .signed)
    }
}

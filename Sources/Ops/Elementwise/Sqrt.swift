import ONNXGraph

/// ONNX `Sqrt`: Y = √X elementwise (opsets 1–13; NaN for negative X). Types: float, double,
/// float16, bfloat16. `consumed_inputs` (opset 1) is ignored.
public struct Sqrt: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(SqrtMath.self, &io, integers: .none)
    }
}

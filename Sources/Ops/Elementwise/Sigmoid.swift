import ONNXGraph

/// ONNX `Sigmoid`: Y = 1 / (1 + exp(-X)) elementwise (opsets 1–13). Types: float, double, float16,
/// bfloat16. float32 relative error below 1e-6 for normal results. `consumed_inputs` (opset 1) is ignored.
public struct Sigmoid: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(SigmoidMath.self, &io, integers: .none)
    }
}

import ONNXGraph

/// ONNX `Sigmoid`: Y = 1 / (1 + exp(-X)) elementwise (opsets 1–13). Types: float, double, float16,
/// bfloat16. float32 is ONNX Runtime's MLAS logistic bit for bit (a rational approximation; absolute
/// error below 2e-7, so relative error grows for x < -8). `consumed_inputs` (opset 1) is ignored.
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

import ONNXGraph

/// ONNX `Relu`: Y = max(X, 0) elementwise (opsets 1–14); NaN passes through. Types: float,
/// double, float16, bfloat16, and (opset 14) int8, int16, int32, int64. `consumed_inputs` is ignored.
public struct Relu: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(ReluMath.self, &io, integers: .signed)
    }
}

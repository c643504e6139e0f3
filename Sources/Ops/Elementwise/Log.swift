import ONNXGraph

/// ONNX `Log`: Y = ln(X) elementwise (opsets 1–13); -inf at 0, NaN below. Types: float, double,
/// float16, bfloat16.
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

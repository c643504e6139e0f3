import ONNXGraph

/// ONNX `Abs`: Y = |X| elementwise (opsets 1–13). Types: float, double, float16, bfloat16 and
/// every int and uint width (signed integers wrap: |min| == min).
public struct Abs: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateUnary(AbsMath.self, &io, integers: .all)
    }
}

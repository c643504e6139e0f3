import ONNXGraph

/// ONNX `LessOrEqual` (opsets 12–16): C = (A <= B) as bool, elementwise with numpy broadcasting.
/// Inputs share one type: float, double, float16, bfloat16, int8/16/32/64, uint8/16/32/64.
public struct LessOrEqual: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferComparison(inputs, legacy: nil)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateComparison(LessOrEqualKind.self, &io, legacy: nil, allowBool: false, allowString: false)
    }
}

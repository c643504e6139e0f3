import ONNXGraph

/// ONNX `Greater` (opsets 1–13): C = (A > B) as bool, elementwise with numpy broadcasting (opset >= 7)
/// or the legacy `broadcast`/`axis` rule (opset < 7). Inputs share one type: float, double,
/// float16, bfloat16, int8/16/32/64, uint8/16/32/64.
public struct Greater: Operator, Hashable {
    let legacy: LegacyBroadcast?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
        legacy = try LegacyBroadcast.parse(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferComparison(inputs, legacy: legacy)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateComparison(GreaterKind.self, &io, legacy: legacy, allowBool: false, allowString: false)
    }
}

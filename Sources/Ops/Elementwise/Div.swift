import ONNXGraph

/// ONNX `Div` (opsets 1–14): C = A / B, elementwise with numpy broadcasting (opset >= 7) or
/// the legacy `broadcast`/`axis` rule (opset < 7). Inputs share one numeric type: float, double,
/// float16, bfloat16, int8/16/32/64, uint8/16/32/64. `consumed_inputs` (opset 1) is ignored.
/// Integer division truncates toward zero (like C); a zero divisor gives 0.
public struct Div: Operator, Hashable {
    let legacy: LegacyBroadcast?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
        legacy = try LegacyBroadcast.parse(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferArithmetic(inputs, legacy: legacy)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateArithmetic(DivKind.self, &io, legacy: legacy)
    }
}

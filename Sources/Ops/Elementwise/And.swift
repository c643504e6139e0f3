import ONNXGraph

/// ONNX `And` (opsets 1–7): C = A ∧ B on bool tensors, numpy broadcasting (opset >= 7) or the
/// legacy `broadcast`/`axis` rule (opset < 7).
public struct And: Operator, Hashable {
    let legacy: LegacyBroadcast?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
        legacy = try LegacyBroadcast.parse(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferComparison(inputs, legacy: legacy)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateLogic(AndKind.self, &io, legacy: legacy)
    }
}

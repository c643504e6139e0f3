import ONNXGraph

/// ONNX `Max` (opsets 1–13): the elementwise maximum (NaN wins) of one or more inputs, folded left to right with numpy
/// broadcasting (opset >= 8; earlier opsets require equal shapes, which broadcasting accepts).
/// Types: float, double, float16, bfloat16 and (opset 12) every int and uint width.
public struct Max: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount >= 1 else { throw OpError(.wrongInputCount(expected: "at least 1", actual: node.inputCount)) }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferVariadic(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try evaluateVariadic(.max, &io)
    }
}

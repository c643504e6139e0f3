import ONNXGraph

/// ONNX `Max` (opsets 1–13): the elementwise maximum of one or more inputs of one type. Inputs
/// broadcast together (numpy) from opset 8 and must share one shape before. NaN propagates (as
/// numpy's `maximum`). Types: float, double, float16; from opset 12 every int and uint width;
/// bfloat16 from opset 13. One input is returned as is. `consumed_inputs` (opset 1) is ignored.
public struct Max: Operator, Hashable {
    let broadcast: Bool
    let integers: Bool

    public init(_ node: NodeAttributes) throws(OpError) {
        try requireInputs(node)
        broadcast = node.opset >= 8
        integers = node.opset >= 12
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferVariadic(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let inputs = try VariadicInputs(io, broadcast: broadcast, opType: "Max")
        try withOrderedScalar(inputs.dataType, integers: integers, MaxVisitor(inputs: inputs, io: io))
    }
}

/// max(a, b); NaN when either is NaN.
enum MaxFn<T: OrderedScalar>: BinaryFn {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { (a > b || a != a) ? a : b }
}

private struct MaxVisitor: OrderedVisitor {
    let inputs: VariadicInputs
    let io: OpIO
    func visit<T: OrderedScalar>(_: T.Type) throws(OpError) {
        io.setOutput(0, try inputs.fold(MaxFn<T>.self, io))
    }
}

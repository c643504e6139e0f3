import ONNXGraph

/// ONNX `Min` (opsets 1–13): the elementwise minimum of one or more inputs of one type. Inputs
/// broadcast together (numpy) from opset 8 and must share one shape before. NaN propagates (as
/// numpy's `minimum`). Types: float, double, float16; from opset 12 every int and uint width;
/// bfloat16 from opset 13. One input is returned as is. `consumed_inputs` (opset 1) is ignored.
public struct Min: Operator, Hashable {
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
        let inputs = try VariadicInputs(io, broadcast: broadcast, opType: "Min")
        try withOrderedScalar(inputs.dataType, integers: integers, MinVisitor(inputs: inputs, io: io))
    }
}

/// min(a, b); NaN when either is NaN.
enum MinFn<T: OrderedScalar>: BinaryFn {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { (a < b || a != a) ? a : b }
}

private struct MinVisitor: OrderedVisitor {
    let inputs: VariadicInputs
    let io: OpIO
    func visit<T: OrderedScalar>(_: T.Type) throws(OpError) {
        io.setOutput(0, try inputs.fold(MinFn<T>.self, io))
    }
}

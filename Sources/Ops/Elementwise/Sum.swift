import ONNXGraph

/// ONNX `Sum` (opsets 1–13): the elementwise sum of one or more inputs of one type, added left to
/// right (x0 + x1) + x2 …. Inputs broadcast together (numpy) from opset 8 and must share one shape
/// before. IEEE arithmetic (NaN and inf propagate); float16/bfloat16 add in Float and round after
/// each addition, as numpy does. Types: float, double, float16, bfloat16 (opset 13). One input is
/// returned as is. `consumed_inputs` (opset 1) is ignored.
public struct Sum: Operator, Hashable {
    let broadcast: Bool

    public init(_ node: NodeAttributes) throws(OpError) {
        try requireInputs(node)
        broadcast = node.opset >= 8
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try inferVariadic(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let inputs = try VariadicInputs(io, broadcast: broadcast, opType: "Sum")
        let out: Tensor
        switch inputs.dataType {
        case .float: out = try inputs.fold(SumFn<Float>.self, io)
        case .double: out = try inputs.fold(SumFn<Double>.self, io)
        case .float16: out = try inputs.fold(HalfArith<AddKind, Float16Codec>.self, io)
        case .bfloat16: out = try inputs.fold(HalfArith<AddKind, BFloat16Codec>.self, io)
        default: throw OpError.type(0, inputs.dataType)
        }
        io.setOutput(0, out)
    }
}

/// a + b for float and double.
enum SumFn<T: BinaryFloatingPoint & BitwiseCopyable>: BinaryFn {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { a + b }
}

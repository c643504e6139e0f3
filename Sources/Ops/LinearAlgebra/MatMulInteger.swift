import Kernels
import ONNXGraph

/// MatMulInteger (opset 10): numpy `matmul` of uint8/int8 A and B with int32 output,
/// `Y = (A − a_zero_point) · (B − b_zero_point)`, exact (int32 accumulation wraps).
///
/// Zero points have their operand's type and are a scalar (per tensor), `[M]` / `[..., M, 1]`
/// (per row of A) or `[N]` / `[..., 1, N]` (per column of B). A constant 2-D B can be packed once
/// with `prepacking(b:)` (see `PrepackedB`).
public struct MatMulInteger: Operator, Hashable {
    /// B packed at plan time, or nil.
    public var prepackedB: PrepackedB?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard (2...4).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "2 to 4", actual: node.inputCount))
        }
    }

    /// This op with the constant B input packed (unchanged when `b` is not a 2-D int8/uint8 tensor).
    public func prepacking(b: Tensor) throws(OpError) -> MatMulInteger {
        var op = self
        if let p = try IntegerMatMul.prepack(b) { op.prepackedB = p }
        return op
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let a = inputs.first ?? nil, b = inputs.count > 1 ? inputs[1] : nil
        return [TensorType(.int32, try MatMulGeometry.inferDims(a?.dims, b?.dims))]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let a = try io.required(0)
        guard IntegerMatMul.isInt8(a.dataType) else { throw OpError.type(0, a.dataType) }
        let (bInput, bShape, bType, packed) = try IntegerMatMul.operandB(io, index: 1, prepacked: prepackedB)
        if try IntegerMatMul.runRows(a, bInput, packed, bShape, aZero: io.input(2), bZero: io.input(3), &io) { return }
        let g = try MatMulGeometry(a.shape, bShape)
        let aZero = try IntegerMatMul.ZeroPoint(io.input(2), expected: a.dataType, input: 2, role: .rows, geometry: g,
                                                name: "a_zero_point")
        let bZero = try IntegerMatMul.ZeroPoint(io.input(3), expected: bType, input: 3, role: .columns, geometry: g,
                                                name: "b_zero_point")
        let y = try io.allocate(.int32, g.outputShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        try IntegerMatMul.run(g, a: a, b: bInput, packed: packed, aZero: aZero, bZero: bZero, c: y.elements(Int32.self))
    }
}

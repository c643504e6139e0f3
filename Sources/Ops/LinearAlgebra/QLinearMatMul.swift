import Kernels
import ONNXGraph

/// QLinearMatMul (opsets 10, 21): numpy `matmul` of quantized uint8/int8 tensors,
/// `y = saturate(rint((a − a_zp)·(b − b_zp) · (a_scale·b_scale / y_scale)) + y_zp)`, the
/// multiplier in float and the product and round-half-even in double (as ONNX's reference).
///
/// Scales and zero points are per tensor, per row of a (`[M]` / `[..., M, 1]`) or per column of
/// b (`[N]` / `[..., 1, N]`); y_scale and y_zero_point are per tensor. y has y_zero_point's type.
/// Scales may be float, or float16 / bfloat16 at opset 21. The float8 types of opset 21 are not
/// supported (rejected as an unsupported input type).
public struct QLinearMatMul: Operator, Hashable {
    /// b packed at plan time, or nil.
    public var prepackedB: PrepackedB?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 8 else { throw OpError(.wrongInputCount(expected: "8", actual: node.inputCount)) }
    }

    /// This op with the constant b input packed (unchanged when `b` is not a 2-D int8/uint8 tensor).
    public func prepacking(b: Tensor) throws(OpError) -> QLinearMatMul {
        var op = self
        if let p = try IntegerMatMul.prepack(b) { op.prepackedB = p }
        return op
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let a = inputs.first ?? nil, b = inputs.count > 3 ? inputs[3] : nil
        let yzp = inputs.count > 7 ? inputs[7] : nil
        return [TensorType(yzp?.dataType, try MatMulGeometry.inferDims(a?.dims, b?.dims))]
    }

    /// A scale input as Float values, with its layout.
    private static func scale(_ t: Tensor, input: Int, role: QuantParamLayout.Role, _ g: MatMulGeometry,
                              name: String) throws(OpError) -> (Tensor, QuantParamLayout) {
        let layout = try QuantParamLayout(shape: t.shape, count: t.count, role: role, geometry: g, name: name)
        return (try floats(t, input: input), layout)
    }

    private static func floats(_ t: Tensor, input: Int) throws(OpError) -> Tensor {
        switch t.dataType {
        case .float: return t
        case .float16, .bfloat16:
            let f = try LinalgLoops.floatScratch([t.count])
            LinalgLoops.widen(t.elements(UInt16.self), f.elements(Float.self), count: t.count, bfloat: t.dataType == .bfloat16)
            return f
        default: throw OpError.type(input, t.dataType)
        }
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let a = try io.required(0)
        guard IntegerMatMul.isInt8(a.dataType) else { throw OpError.type(0, a.dataType) }
        let (bInput, bShape, bType, packed) = try IntegerMatMul.operandB(io, index: 3, prepacked: prepackedB)
        let g = try MatMulGeometry(a.shape, bShape)
        let aZero = try IntegerMatMul.ZeroPoint(io.input(2), expected: a.dataType, input: 2, role: .rows, geometry: g,
                                                name: "a_zero_point")
        let bZero = try IntegerMatMul.ZeroPoint(io.input(5), expected: bType, input: 5, role: .columns, geometry: g,
                                                name: "b_zero_point")
        let (aScale, aLayout) = try Self.scale(try io.required(1), input: 1, role: .rows, g, name: "a_scale")
        let (bScale, bLayout) = try Self.scale(try io.required(4), input: 4, role: .columns, g, name: "b_scale")
        let yScaleT = try Self.floats(try io.required(6), input: 6)
        guard yScaleT.count == 1 else { throw OpError.shape("y_scale must have one element, has \(yScaleT.count)") }
        let yScale = yScaleT.elements(Float.self)[0]
        let yType: DataType, yZero: Int32
        if let yz = io.input(7) {
            guard IntegerMatMul.isInt8(yz.dataType) else { throw OpError.type(7, yz.dataType) }
            guard yz.count == 1 else { throw OpError.shape("y_zero_point must have one element, has \(yz.count)") }
            yType = yz.dataType
            yZero = yz.dataType == .int8 ? Int32(yz.elements(Int8.self)[0]) : Int32(yz.elements(UInt8.self)[0])
        } else {
            yType = a.dataType
            yZero = 0
        }
        let y = try io.allocate(yType, g.outputShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        let acc: Tensor
        do { acc = try Tensor(allocating: .int32, shape: [y.count]) } catch { throw OpError(error) }
        defer { withExtendedLifetime((acc, aScale, bScale)) {} }
        try IntegerMatMul.run(g, a: a, b: bInput, packed: packed, aZero: aZero, bZero: bZero, c: acc.elements(Int32.self))
        let ySigned = yType == .int8
        for batch in 0..<g.batchCount {
            let off = batch * g.m * g.n
            QGemm.requantize(m: g.m, n: g.n, c: acc.elements(Int32.self) + off, ldc: g.n,
                             aScale: aScale.elements(Float.self) + aLayout.offset(batch, g), aScaleStride: aLayout.stride,
                             bScale: bScale.elements(Float.self) + bLayout.offset(batch, g), bScaleStride: bLayout.stride,
                             yScale: yScale, yZeroPoint: yZero, ySigned: ySigned, y: y.data + off, ldy: g.n)
        }
    }
}

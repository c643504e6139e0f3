import CKernels
import ONNXGraph

/// `DequantizeLinear` (opsets 10–28): `y = (x - x_zero_point) * x_scale`, computed in float32 and
/// rounded once to the output type, as the ONNX reference does.
///
/// - x: int8/uint8/int16/uint16/int32, uint4/int4/uint2/int2, the float8 family, float4e2m1,
///   float6; the zero point (optional, default 0) has x's type and the scale's shape.
/// - Granularity: `QuantLayout` (per-tensor, per-axis with `axis` 13+, blocked with `block_size` 21+).
/// - Scale: float, float16, bfloat16 (19+), float8e8m0 (24+). Output: `output_dtype` (23+) or else
///   the scale's type; one of float, float16, bfloat16.
/// Integer x runs in C kernels; float x types decode through a table.
public struct DequantizeLinear: Operator, Hashable {
    let axis: Int
    let blockSize: Int
    let outputDtype: DataType?

    public init(_ node: NodeAttributes) throws(OpError) {
        axis = node.opset >= 13 ? try node.int("axis", default: 1) : 1
        blockSize = node.opset >= 21 ? try node.int("block_size", default: 0) : 0
        guard blockSize >= 0 else { throw OpError(.invalidAttribute("block_size", "must be positive, got \(blockSize)")) }
        outputDtype = node.opset >= 23 ? try QuantizeLinear.dtype(node, "output_dtype") : nil
        if let t = outputDtype, ![.float, .float16, .bfloat16].contains(t) {
            throw OpError(.invalidAttribute("output_dtype", "\(t) is not float, float16 or bfloat16"))
        }
        guard (2...3).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "2 or 3", actual: node.inputCount))
        }
    }

    func outputType(scale: DataType) throws(OpError) -> DataType {
        if let o = outputDtype { return o }
        guard [.float, .float16, .bfloat16].contains(scale) else {
            throw OpError(.invalidAttribute("output_dtype", "required when the scale is \(scale)"))
        }
        return scale
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let t: DataType?
        if let o = outputDtype { t = o } else if inputs.count > 1, let s = inputs[1]?.dataType { t = try outputType(scale: s) } else { t = nil }
        return [TensorType(t, inputs.first??.dims)]
    }

    static func accepts(_ t: DataType) -> Bool {
        t == .int32 || QuantizeLinear.isQuantType(t)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0), scale = try io.required(1), zp = io.input(2)
        guard Self.accepts(x.dataType) else { throw OpError.type(0, x.dataType) }
        guard [.float, .float16, .bfloat16, .float8e8m0].contains(scale.dataType) else { throw OpError.type(1, scale.dataType) }
        if let zp, zp.dataType != x.dataType {
            throw OpError.value("zero point type \(zp.dataType) differs from the input type \(x.dataType)")
        }
        let outType = try outputType(scale: scale.dataType)
        let layout = try QuantLayout(x: x.shape, scale: scale.shape, zeroPoint: zp?.shape, axis: axis, blockSize: blockSize)
        let y = try io.allocate(outType, x.shape)
        let n = x.count

        let scales = Scratch<Float>(scale.count)
        defer { scales.deallocate() }
        QuantValues.floats(scale, into: scales.pointer)

        var staging: Scratch<Float>? = nil
        defer { staging?.deallocate() }
        let out: UnsafeMutablePointer<Float>
        if outType == .float { out = y.elements(Float.self) } else {
            let s = Scratch<Float>(n)
            staging = s
            out = s.pointer
        }

        if x.dataType.isFloatingPoint {
            let zpf = Scratch<Float>(scale.count)
            defer { zpf.deallocate() }
            if let zp { QuantValues.floats(zp, into: zpf.pointer) } else { zpf.pointer.initialize(repeating: 0, count: scale.count) }
            let table = MiniFloat(x.dataType)?.decodeTable ?? []
            guard table.count == 256 else { throw OpError.type(0, x.dataType) }
            let codes = x.elements(UInt8.self)
            table.withUnsafeBufferPointer { t in
                layout.forEachRunNoThrow { (offset, count, s, perElement) in
                    for k in 0..<count {
                        let si = perElement ? s + k : s
                        out[offset + k] = (t[Int(codes[offset + k])] - zpf.pointer[si]) * scales.pointer[si]
                    }
                }
            }
        } else {
            let zps = Scratch<Int32>(scale.count)
            defer { zps.deallocate() }
            if let zp { QuantValues.ints(zp, into: zps.pointer) } else { zps.pointer.initialize(repeating: 0, count: scale.count) }
            let tier = CastEngine.tier
            let sp = scales.pointer, zpp = zps.pointer
            let type = x.dataType
            layout.forEachRunNoThrow { (offset, count, s, perElement) in
                let dst = out + offset
                switch type {
                case .uint8, .uint4, .uint2:
                    let src = x.elements(UInt8.self) + offset
                    if perElement { ck_dequantize_u8_f32_axis(src, dst, count, sp + s, zpp + s, tier) }
                    else { ck_dequantize_u8_f32(src, dst, count, sp[s], zpp[s], tier) }
                case .int8, .int4, .int2:
                    let src = x.elements(Int8.self) + offset
                    if perElement { ck_dequantize_s8_f32_axis(src, dst, count, sp + s, zpp + s, tier) }
                    else { ck_dequantize_s8_f32(src, dst, count, sp[s], zpp[s], tier) }
                case .uint16:
                    let src = x.elements(UInt16.self) + offset
                    if perElement { ck_dequantize_u16_f32_axis(src, dst, count, sp + s, zpp + s, tier) }
                    else { ck_dequantize_u16_f32(src, dst, count, sp[s], zpp[s], tier) }
                case .int16:
                    let src = x.elements(Int16.self) + offset
                    if perElement { ck_dequantize_s16_f32_axis(src, dst, count, sp + s, zpp + s, tier) }
                    else { ck_dequantize_s16_f32(src, dst, count, sp[s], zpp[s], tier) }
                default:
                    let src = x.elements(Int32.self) + offset
                    if perElement { ck_dequantize_s32_f32_axis(src, dst, count, sp + s, zpp + s, tier) }
                    else { ck_dequantize_s32_f32(src, dst, count, sp[s], zpp[s], tier) }
                }
            }
        }
        switch outType {
        case .float16: ck_f32_to_f16(out, y.elements(UInt16.self), n, CastEngine.tier)
        case .bfloat16: ck_f32_to_bf16(out, y.elements(UInt16.self), n, CastEngine.tier)
        default: break
        }
        io.setOutput(0, y)
    }
}

extension QuantLayout {
    /// `forEachRun` for bodies that cannot fail.
    @inline(__always)
    func forEachRunNoThrow(_ body: (Int, Int, Int, Bool) -> Void) {
        try? forEachRun { (o, c, s, p) throws(OpError) in body(o, c, s, p) }
    }
}

import CKernels
import ONNXGraph

/// `QuantizeLinear` (opsets 10–28): `y = saturate(round(x / y_scale) + y_zero_point)`.
///
/// - Granularity from the scale's shape (`QuantLayout`): per-tensor, per-axis (`axis`, 13+),
///   blocked (`block_size`, 21+). The zero point must have the scale's shape.
/// - Output type: the zero point's type, else `output_dtype` (21+), else uint8; both given must agree.
///   Integer outputs (uint8/int8/uint16/int16/uint4/int4/uint2/int2) round half to even and clamp
///   to the type's range (NaN → the type's minimum). Float outputs (float8 family, float4e2m1,
///   float6) encode `x / scale + zero_point` rounding to nearest even, saturating by `saturate`
///   (19+; float4/6 always saturate); a float8 zero point equal to zero is not added, so -0 survives
///   as in the ONNX reference.
/// - The division is done in `precision` (23+: float, double, float16 or bfloat16) or else the
///   scale's type (float for int32 and float8e8m0 scales): both operands and the quotient are
///   rounded to it. float x with float precision and an integer output runs in C kernels.
public struct QuantizeLinear: Operator, Hashable {
    let axis: Int
    let blockSize: Int
    let saturate: Bool
    let outputDtype: DataType?
    let precision: DataType?

    public init(_ node: NodeAttributes) throws(OpError) {
        axis = node.opset >= 13 ? try node.int("axis", default: 1) : 1
        saturate = node.opset >= 19 ? try node.int("saturate", default: 1) != 0 : true
        blockSize = node.opset >= 21 ? try node.int("block_size", default: 0) : 0
        guard blockSize >= 0 else { throw OpError(.invalidAttribute("block_size", "must be positive, got \(blockSize)")) }
        outputDtype = node.opset >= 21 ? try Self.dtype(node, "output_dtype") : nil
        if let t = outputDtype, !Self.isQuantType(t) {
            throw OpError(.invalidAttribute("output_dtype", "\(t) is not a quantized type"))
        }
        precision = node.opset >= 23 ? try Self.dtype(node, "precision") : nil
        if let p = precision, ![.float, .double, .float16, .bfloat16].contains(p) {
            throw OpError(.invalidAttribute("precision", "\(p) is not a float type"))
        }
        guard (2...3).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "2 or 3", actual: node.inputCount))
        }
    }

    static func dtype(_ node: NodeAttributes, _ name: String) throws(OpError) -> DataType? {
        let v = try node.int(name, default: 0)
        if v == 0 { return nil }
        guard let t = DataType(rawValue: Int32(truncatingIfNeeded: v)), Int(t.rawValue) == v else {
            throw OpError(.invalidAttribute(name, "\(v) is not a data type"))
        }
        return t
    }

    static func isQuantType(_ t: DataType) -> Bool { QuantValues.range(t) != nil || MiniFloat(t) != nil }

    func outputType(zeroPoint: DataType?) throws(OpError) -> DataType {
        if let z = zeroPoint {
            if let o = outputDtype, o != z {
                throw OpError(.invalidAttribute("output_dtype", "\(o) differs from the zero point's type \(z)"))
            }
            guard Self.isQuantType(z) else { throw OpError.type(2, z) }
            return z
        }
        return outputDtype ?? .uint8
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        // With a zero point whose type is not known yet, only output_dtype can tell.
        let zp = inputs.count > 2 ? inputs[2]?.dataType : nil
        let t: DataType? = node.hasInput(2) && zp == nil ? outputDtype : try outputType(zeroPoint: zp)
        return [TensorType(t, inputs.first??.dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0), scale = try io.required(1), zp = io.input(2)
        guard [.float, .float16, .bfloat16, .int32].contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        guard [.float, .float16, .bfloat16, .int32, .float8e8m0].contains(scale.dataType) else {
            throw OpError.type(1, scale.dataType)
        }
        let outType = try outputType(zeroPoint: zp?.dataType)
        let layout = try QuantLayout(x: x.shape, scale: scale.shape, zeroPoint: zp?.shape, axis: axis, blockSize: blockSize)
        let y = try io.allocate(outType, x.shape)
        let p = precision ?? ([.float16, .bfloat16].contains(scale.dataType) ? scale.dataType : .float)

        let scales = Scratch<Float>(scale.count)
        defer { scales.deallocate() }
        QuantValues.floats(scale, into: scales.pointer)

        if let (qmin, qmax) = QuantValues.range(outType) {
            let zps = Scratch<Int32>(scale.count)
            defer { zps.deallocate() }
            if let zp { QuantValues.ints(zp, into: zps.pointer) } else { zps.pointer.initialize(repeating: 0, count: scale.count) }
            if p == .float {
                try quantizeFloatKernel(x, y, layout, scales.pointer, zps.pointer, qmin, qmax)
            } else {
                try quantizeGeneric(x, y, layout, scales.pointer, precision: p) { (i, q, s) in
                    let z = zps.pointer[s]
                    let v: Int32
                    if q.isNaN { v = qmin } else {
                        let r = q.rounded(.toNearestOrEven) + Double(z)
                        v = r <= Double(qmin) ? qmin : (r >= Double(qmax) ? qmax : Int32(r))
                    }
                    Self.storeInt(y, i, v)
                }
            }
        } else if let f = MiniFloat(outType) {
            let zpf = Scratch<Float>(scale.count)
            defer { zpf.deallocate() }
            if let zp { QuantValues.floats(zp, into: zpf.pointer) } else { zpf.pointer.initialize(repeating: 0, count: scale.count) }
            let isFloat8 = outType.bitWidth == 8
            let out = y.elements(UInt8.self)
            let sat = saturate
            try quantizeGeneric(x, y, layout, scales.pointer, precision: p) { (i, q, s) in
                let z = Double(zpf.pointer[s])
                out[i] = f.encode(isFloat8 && z == 0 ? q : q + z, saturate: sat)
            }
        } else {
            throw OpError.type(2, outType)
        }
        io.setOutput(0, y)
    }

    @inline(__always)
    static func storeInt(_ y: Tensor, _ i: Int, _ v: Int32) {
        switch y.dataType {
        case .uint8, .uint4, .uint2: y.elements(UInt8.self)[i] = UInt8(truncatingIfNeeded: v)
        case .int8, .int4, .int2: y.elements(Int8.self)[i] = Int8(truncatingIfNeeded: v)
        case .uint16: y.elements(UInt16.self)[i] = UInt16(truncatingIfNeeded: v)
        case .int16: y.elements(Int16.self)[i] = Int16(truncatingIfNeeded: v)
        default: break
        }
    }

    /// Float division, integer output: the C kernels over each run of the layout.
    private func quantizeFloatKernel(_ x: Tensor, _ y: Tensor, _ layout: QuantLayout, _ scales: UnsafeMutablePointer<Float>,
                                     _ zps: UnsafeMutablePointer<Int32>, _ qmin: Int32, _ qmax: Int32) throws(OpError) {
        let tier = CastEngine.tier
        var converted: Scratch<Float>? = nil
        defer { converted?.deallocate() }
        let xf: UnsafeMutablePointer<Float>
        if x.dataType == .float { xf = x.elements(Float.self) } else {
            let c = Scratch<Float>(x.count)
            converted = c
            QuantValues.floats(x, into: c.pointer)
            xf = c.pointer
        }
        let type = y.dataType
        try layout.forEachRun { (offset, count, s, perElement) throws(OpError) in
            let src = xf + offset
            switch type {
            case .uint8, .uint4, .uint2:
                let dst = y.elements(UInt8.self) + offset
                if perElement { ck_quantize_f32_u8_axis(src, dst, count, scales + s, zps + s, qmin, qmax, tier) }
                else { ck_quantize_f32_u8(src, dst, count, scales[s], zps[s], qmin, qmax, tier) }
            case .int8, .int4, .int2:
                let dst = y.elements(Int8.self) + offset
                if perElement { ck_quantize_f32_s8_axis(src, dst, count, scales + s, zps + s, qmin, qmax, tier) }
                else { ck_quantize_f32_s8(src, dst, count, scales[s], zps[s], qmin, qmax, tier) }
            case .uint16:
                let dst = y.elements(UInt16.self) + offset
                if perElement { ck_quantize_f32_u16_axis(src, dst, count, scales + s, zps + s, qmin, qmax, tier) }
                else { ck_quantize_f32_u16(src, dst, count, scales[s], zps[s], qmin, qmax, tier) }
            case .int16:
                let dst = y.elements(Int16.self) + offset
                if perElement { ck_quantize_f32_s16_axis(src, dst, count, scales + s, zps + s, qmin, qmax, tier) }
                else { ck_quantize_f32_s16(src, dst, count, scales[s], zps[s], qmin, qmax, tier) }
            default:
                throw OpError.type(2, type)
            }
        }
    }

    /// Any precision and output: `store(index, quotient, scaleIndex)` for every element, where the
    /// quotient is x / scale computed in `precision` (operands and result rounded to it).
    private func quantizeGeneric(_ x: Tensor, _ y: Tensor, _ layout: QuantLayout, _ scales: UnsafeMutablePointer<Float>,
                                 precision: DataType, _ store: (Int, Double, Int) -> Void) throws(OpError) {
        let xd = Scratch<Double>(x.count)
        defer { xd.deallocate() }
        if x.dataType == .int32 {
            let p = x.elements(Int32.self)
            for i in 0..<x.count { xd.pointer[i] = Double(p[i]) }
        } else {
            CastEngine.readFloats(x, 0, x.count, xd.pointer)
        }
        let round: (Double) -> Double = switch precision {
        case .double: { $0 }
        case .float16: { Double(Float16($0)) }
        case .bfloat16: { Double(FloatFormats.bfloat16ToFloat(FloatFormats.floatToBfloat16(Float($0)))) }
        default: { Double(Float($0)) }
        }
        try layout.forEachRun { (offset, count, s, perElement) throws(OpError) in
            for k in 0..<count {
                let si = perElement ? s + k : s
                let q = round(round(xd.pointer[offset + k]) / round(Double(scales[si])))
                store(offset + k, q, si)
            }
        }
    }
}

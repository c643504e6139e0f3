import CKernels
import ONNXGraph

/// `DynamicQuantizeLinear` (opset 11): float x → (y: uint8, y_scale: float scalar,
/// y_zero_point: uint8 scalar), one scale over the **whole tensor**, exactly as ONNX Runtime
/// computes it (bit for bit):
/// ```
/// lo = min(0, min x), hi = max(0, max x)          (NaNs ignored)
/// scale = hi == lo ? 1 : (hi - lo) / 255           (float)
/// zp = rne(clamp(0 - lo / scale, 0, 255))
/// y = clamp(rne(x / scale) + zp, 0, 255)          (the division in float; NaN → 0)
/// ```
public struct DynamicQuantizeLinear: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        if let t = inputs.first??.dataType, t != .float { throw OpError.type(0, t) }
        return [TensorType(.uint8, inputs.first??.dims), TensorType(.float, shape: []), TensorType(.uint8, shape: [])]
    }

    /// The scale and zero point for values in `[lo, hi]` (lo ≤ 0 ≤ hi).
    static func parameters(lo: Float, hi: Float) -> (scale: Float, zeroPoint: UInt8) {
        let scale: Float = hi == lo ? 1 : (hi - lo) / 255
        let initial: Float = 0 - lo / scale
        let clamped = initial.isNaN ? 0 : Swift.max(0, Swift.min(255, initial))
        return (scale, UInt8(clamped.rounded(.toNearestOrEven)))
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard x.dataType == .float else { throw OpError.type(0, x.dataType) }
        let tier = CastEngine.tier
        var lo: Float = 0, hi: Float = 0
        ck_range_with_zero_f32(x.elements(Float.self), x.count, &lo, &hi, tier)
        let (scale, zp) = Self.parameters(lo: lo, hi: hi)
        let y = try io.allocate(.uint8, x.shape)
        ck_quantize_f32_u8(x.elements(Float.self), y.elements(UInt8.self), x.count, scale, Int32(zp), 0, 255, tier)
        let s = try io.allocate(.float, [])
        s.elements(Float.self).pointee = scale
        let z = try io.allocate(.uint8, [])
        z.elements(UInt8.self).pointee = zp
        io.setOutput(0, y)
        io.setOutput(1, s)
        io.setOutput(2, z)
    }
}

import CKernels
import ONNXGraph

/// `ai.onnxrun::QuickGelu` (opset 1): ONNX Runtime's `com.microsoft::QuickGelu` on float,
/// `Y = X · Sigmoid(alpha · X)` elementwise, the op `FuseQuickGelu` rewrites
/// `Mul(X, Sigmoid(X))` (and `Mul(X, Sigmoid(Mul(X, alpha)))`) into.
///
/// Attribute `alpha` (float, default 1.702 as in ONNX Runtime's schema). Rounding: `alpha · X`
/// rounded (skipped when alpha is 1), the logistic of MLAS (as `Sigmoid`), then the product
/// rounded: the unfused graph's bits, and ONNX Runtime's QuickGelu kernel's.
public struct QuickGelu: Operator, Hashable {
    let alpha: Float

    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
        alpha = try node.float("alpha", default: 1.702)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [TensorType(.float, (inputs.first ?? nil)?.dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard x.dataType == .float else { throw OpError.type(0, x.dataType) }
        let y = try io.allocate(.float, x.shape)
        io.setOutput(0, y)
        let n = x.count
        guard n > 0 else { return }
        let xp = x.elements(Float.self), yp = y.elements(Float.self)
        if alpha != 1 {
            F32Tier.pick(ck_f32_vmulc, ck_f32_vmulc__avx2, ck_f32_vmulc__avx512)(xp, alpha, yp, n)
            F32Tier.pick(ck_f32_sigmoid, ck_f32_sigmoid__avx2, ck_f32_sigmoid__avx512)(yp, yp, n)
        } else {
            F32Tier.pick(ck_f32_sigmoid, ck_f32_sigmoid__avx2, ck_f32_sigmoid__avx512)(xp, yp, n)
        }
        F32Tier.pick(ck_f32_vmul, ck_f32_vmul__avx2, ck_f32_vmul__avx512)(xp, yp, yp, n)
    }
}

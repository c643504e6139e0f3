import CKernels
import ONNXGraph

/// `ai.onnxrun::SkipLayerNormalization` (opset 1): ONNX Runtime's fused residual add and layer
/// normalization (`com.microsoft::SkipLayerNormalization`), the op `FuseSkipLayerNormalization`
/// rewrites `Add → LayerNormalization(axis: -1)` into.
///
/// Inputs (positional, empty names for omitted optional ones), float only:
/// 0. `input`: `[..., N]` (rank >= 1).
/// 1. `skip`: the shape of `input`, or `[N]` (one row added to every row).
/// 2. `gamma`: `[N]`.
/// 3. `beta` (optional): `[N]`.
/// 4. `bias` (optional): `[N]`, added after `skip`.
///
/// Attribute `epsilon` (float, default 1e-12 as in ONNX Runtime's schema).
///
/// Outputs: 0. `output` (the shape of `input`); 1. `mean` and 2. `inv_std_var` (optional,
/// `input.shape[..<-1] + [1]`); 3. `input_skip_bias_sum` (optional, the shape of `input`).
/// Per row: `v = input + skip (+ bias)` rounded per add, then mean and variance from a float
/// Welford pass, `(v - mean) / sqrt(var + epsilon) · gamma + beta`: the bits ONNX Runtime 1.32's
/// CPU kernel computes (ck_skip_layer_norm_f32), which differ in the last place from
/// `LayerNormalization(Add(input, skip))` on some rows (that kernel uses two passes).
public struct SkipLayerNormalization: Operator, Hashable {
    let epsilon: Float

    public init(_ node: NodeAttributes) throws(OpError) {
        guard (3...5).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "3 to 5", actual: node.inputCount))
        }
        guard node.hasInput(0), node.hasInput(1), node.hasInput(2) else {
            throw OpError.value("SkipLayerNormalization needs input, skip and gamma (inputs 0 to 2)")
        }
        epsilon = try node.float("epsilon", default: 1e-12)
        guard epsilon.isFinite, epsilon >= 0 else {
            throw OpError(.invalidAttribute("epsilon", "\(epsilon) is not a finite non-negative number"))
        }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = inputs.first ?? nil
        let stat = x?.dims.map { Array($0.dropLast()) + [.value(1)] }
        var out = [TensorType(.float, x?.dims)]
        if node.outputCount > 1 { out.append(TensorType(.float, stat)) }
        if node.outputCount > 2 { out.append(TensorType(.float, stat)) }
        if node.outputCount > 3 { out.append(TensorType(.float, x?.dims)) }
        return out
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0), skip = try io.required(1), gamma = try io.required(2)
        let beta = io.input(3), bias = io.input(4)
        for (i, t) in [(0, Optional(x)), (1, Optional(skip)), (2, Optional(gamma)), (3, beta), (4, bias)] {
            if let t, t.dataType != .float { throw OpError.type(i, t.dataType) }
        }
        guard x.rank >= 1 else { throw OpError.shape("SkipLayerNormalization: input must have rank >= 1, got []") }
        let n = x.shape[x.rank - 1]
        let rows = n == 0 ? 0 : x.count / n
        let skipStride: Int
        if skip.shape == x.shape {
            skipStride = n
        } else if skip.rank >= 1, skip.count == n, skip.shape[skip.rank - 1] == n {
            skipStride = 0
        } else {
            throw OpError.shape("SkipLayerNormalization: skip \(skip.shape) is neither \(x.shape) nor one row of \(n)")
        }
        for (i, t) in [(2, Optional(gamma)), (3, beta), (4, bias)] {
            if let t, t.count != n || t.rank != 1 {
                throw OpError.shape("SkipLayerNormalization: input #\(i) must have shape [\(n)], got \(t.shape)")
            }
        }
        let y = try io.allocate(.float, x.shape)
        let statShape = Array(x.shape.dropLast()) + [1]
        let mean = io.wantsOutput(1) ? try io.allocate(.float, statShape) : nil
        let invStd = io.wantsOutput(2) ? try io.allocate(.float, statShape) : nil
        let sum = io.wantsOutput(3) ? try io.allocate(.float, x.shape) : nil
        io.setOutput(0, y)
        if let mean { io.setOutput(1, mean) }
        if let invStd { io.setOutput(2, invStd) }
        if let sum { io.setOutput(3, sum) }
        guard rows > 0 else { return }
        ck_skip_layer_norm_f32(x.elements(Float.self), skip.elements(Float.self), skipStride,
                               bias?.elements(Float.self), y.elements(Float.self), sum?.elements(Float.self),
                               rows, n, gamma.elements(Float.self), beta?.elements(Float.self), epsilon,
                               mean?.elements(Float.self), invStd?.elements(Float.self))
    }
}

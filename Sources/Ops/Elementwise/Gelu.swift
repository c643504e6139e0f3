import ONNXGraph

/// ONNX `Gelu` (opset 20): Y = 0.5 X (1 + erf(X / √2)) with `approximate` = "none" (default), or
/// 0.5 X (1 + tanh(√(2/π) (X + 0.044715 X³))) with "tanh". Types: float, double, float16, bfloat16.
/// Both forms avoid the cancellation of 1 + erf / 1 + tanh for negative X (see `GeluErfMath`,
/// `GeluTanhMath`). float32 relative error below 1e-6 for the erf form; the tanh form's float32
/// result carries the conditioning of exp(-2u) (relative error about 2u × 1e-7 for negative X).
public struct Gelu: Operator, Hashable {
    /// True for the tanh approximation.
    let tanhApproximation: Bool

    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
        switch try node.string("approximate", default: "none") {
        case "none": tanhApproximation = false
        case "tanh": tanhApproximation = true
        case let other: throw OpError(.invalidAttribute("approximate", "must be \"none\" or \"tanh\", got \"\(other)\""))
        }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        if tanhApproximation {
            try evaluateUnary(GeluTanhMath.self, &io, integers: .none)
        } else {
            try evaluateUnary(GeluErfMath.self, &io, integers: .none)
        }
    }
}

import ONNXGraph

/// Softmax: y = exp(x - max) / sum exp(x - max) along `axis` (see `SoftmaxCore` for the opset < 13
/// 2-D coercion). float, double, float16; bfloat16 from opset 13. Tolerance against exact math:
/// float32 within a few ulp (polynomial exp; along the last axis the same bits as ONNX Runtime's MLAS
/// softmax on AVX-512 machines, see ck_reduce.h), float16/bfloat16 rounded once from float32.
public struct Softmax: Operator, Hashable {
    let core: SoftmaxCore

    public init(_ node: NodeAttributes) throws(OpError) {
        core = try SoftmaxCore(node, logarithm: false)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try core.inferTypes(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try core.evaluate(&io)
    }
}

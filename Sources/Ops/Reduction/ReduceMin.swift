import ONNXGraph

/// ReduceMin: the minimum of `data` along `axes`, with `keepdims` (default 1). Axes are an attribute
/// before opset 18 and an optional int64 input from opset 18, which also adds
/// `noop_with_empty_axes`. NaN propagates. The min of an empty set is +inf for floats, the type's
/// maximum for integers and true for bool (bool from opset 20; int8/uint8 from 12, bfloat16 from 13).
public struct ReduceMin: Operator, Hashable {
    let axes: ReductionAxes
    let types: Set<DataType>

    public init(_ node: NodeAttributes) throws(OpError) {
        axes = try ReductionAxes(node, inputSince: 18)
        types = Reduction.maxTypes(opset: node.opset)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try axes.inferTypes(inputs, node)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try Reduction.evaluate(&io, axes: axes, kind: .min, types: types)
    }
}

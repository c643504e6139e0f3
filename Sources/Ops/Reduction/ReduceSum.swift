import ONNXGraph

/// ReduceSum: the sum of `data` along `axes`, with `keepdims` (default 1). Axes are an attribute
/// before opset 13 and an optional int64 input from opset 13, which also adds
/// `noop_with_empty_axes`. The empty set sums to 0; integer sums wrap.
public struct ReduceSum: Operator, Hashable {
    let axes: ReductionAxes
    let types: Set<DataType>

    public init(_ node: NodeAttributes) throws(OpError) {
        axes = try ReductionAxes(node, inputSince: 13)
        types = Reduction.sumTypes(opset: node.opset)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try axes.inferTypes(inputs, node)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try Reduction.evaluate(&io, axes: axes, kind: .sum, types: types)
    }
}

import ONNXGraph

/// ReduceMean: the mean of `data` along `axes`, with `keepdims` (default 1). Axes are an attribute
/// before opset 18 and an optional int64 input from opset 18, which also adds
/// `noop_with_empty_axes`. The mean of an empty set is NaN for floats and 0 for integers; integer
/// means truncate toward zero (numpy's `mean(...).astype`).
public struct ReduceMean: Operator, Hashable {
    let axes: ReductionAxes
    let types: Set<DataType>

    public init(_ node: NodeAttributes) throws(OpError) {
        axes = try ReductionAxes(node, inputSince: 18)
        types = Reduction.sumTypes(opset: node.opset)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try axes.inferTypes(inputs, node)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        try Reduction.evaluate(&io, axes: axes, kind: .mean, types: types)
    }
}

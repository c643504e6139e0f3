import ONNXGraph

/// ReduceMax: the maximum (NaN-propagating; -inf for an empty set of floats, the type's minimum for integers, false for bool) of `data` along `axes` (attribute before opset 18, optional int64
/// input from opset 18), with `keepdims` (default 1) and, from opset 18, `noop_with_empty_axes`.
public struct ReduceMax: Operator, Hashable {
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
        try Reduction.evaluate(&io, axes: axes, kind: .max, types: types)
    }
}

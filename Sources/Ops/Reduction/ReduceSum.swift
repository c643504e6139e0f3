import ONNXGraph

/// ReduceSum: the sum of `data` along `axes` (attribute before opset 13, optional int64
/// input from opset 13), with `keepdims` (default 1) and, from opset 13, `noop_with_empty_axes`.
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

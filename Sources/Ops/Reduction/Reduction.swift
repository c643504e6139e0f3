import ONNXGraph

/// The evaluation shared by ReduceSum, ReduceMean, ReduceMax and ReduceMin.
enum Reduction {
    /// Types ReduceSum and ReduceMean accept at `opset`.
    static func sumTypes(opset: Int) -> Set<DataType> {
        var t: Set<DataType> = [.float, .double, .float16, .int32, .int64, .uint32, .uint64]
        if opset >= 13 { t.insert(.bfloat16) }
        return t
    }

    /// Types ReduceMax and ReduceMin accept at `opset`.
    static func maxTypes(opset: Int) -> Set<DataType> {
        var t = sumTypes(opset: opset)
        if opset >= 12 { t.formUnion([.int8, .uint8]) }
        if opset >= 20 { t.insert(.bool) }
        return t
    }

    /// Reduces input 0 along the node's axes into output 0 (of the input's type). With
    /// `noop_with_empty_axes` and no axes, output 0 is input 0 itself.
    static func evaluate(_ io: inout OpIO, axes: ReductionAxes, kind: ReductionKind,
                         types: Set<DataType>) throws(OpError) {
        let x = try io.required(0)
        guard types.contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        guard let mask = try axes.mask(try axes.requested(io), rank: x.rank) else {
            io.setOutput(0, x)
            return
        }
        let y = try io.allocate(x.dataType, axes.outputShape(x.shape, mask: mask))
        let layout = ReductionLayout(shape: x.shape, mask: mask)
        try x.dataType.visitReductionScalar(Visitor(kind: kind, layout: layout, x: x, y: y))
        io.setOutput(0, y)
    }

    private struct Visitor: ReductionScalarVisitor {
        let kind: ReductionKind
        let layout: ReductionLayout
        let x: Tensor
        let y: Tensor

        func visit<S: ReductionScalar>(_ type: S.Type) throws(OpError) {
            ReductionEngine<S>(kind: kind, layout: layout).run(UnsafePointer(x.elements(S.self)), y.elements(S.self))
        }
    }
}

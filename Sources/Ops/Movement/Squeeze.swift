import ONNXGraph

/// Squeeze (opsets 1..25): a view without the listed size-1 axes (attribute `axes` before opset 13,
/// int64 input #1 after); without axes, every size-1 dim goes. Listing a dim that is not 1 throws.
struct Squeeze: Operator, Hashable {
    let attributeAxes: [Int]?
    let axesFromInput: Bool

    init(_ node: NodeAttributes) throws(OpError) {
        axesFromInput = node.opset >= 13
        attributeAxes = axesFromInput ? nil : try node.ints("axes")
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        guard let d = x.dims else { return [TensorType(x.dataType, nil)] }
        if axesFromInput && node.hasInput(1) {
            if let n = Movement.vectorLength(Movement.fact(inputs, 1)), n <= d.count {
                // Squeezed dims are 1s: when the known dims hold exactly n ones and nothing else
                // could be 1, those are the ones removed.
                let ones = d.filter { $0 == .value(1) }.count
                if ones == n, d.allSatisfy({ $0.value != nil }) {
                    return [TensorType(x.dataType, d.filter { $0 != .value(1) })]
                }
                return [TensorType(x.dataType, Movement.unknownDims(d.count - n))]
            }
            return [TensorType(x.dataType, nil)]
        }
        if let attributeAxes {
            let axes = try Movement.normalizeAxes(attributeAxes, rank: d.count)
            return [TensorType(x.dataType, d.indices.filter { !axes.contains($0) }.map { d[$0] })]
        }
        guard d.allSatisfy({ $0.value != nil }) else { return [TensorType(x.dataType, nil)] }
        return [TensorType(x.dataType, d.filter { $0.value != 1 })]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        var axes: [Int]? = attributeAxes
        if axesFromInput, let t = io.input(1) {
            guard t.dataType == .int64 else { throw OpError.type(1, t.dataType) }
            axes = try Movement.vector(t, input: 1, name: "Squeeze axes")
        }
        let shape: [Int]
        if let axes {
            let n = try Movement.normalizeAxes(axes, rank: x.rank)
            for a in n where x.shape[a] != 1 {
                throw OpError.shape("Squeeze: axis \(a) of shape \(x.shape) is not 1")
            }
            shape = x.shape.indices.filter { !n.contains($0) }.map { x.shape[$0] }
        } else {
            shape = x.shape.filter { $0 != 1 }
        }
        io.setOutput(0, try Movement.reshape(x, shape))
    }
}

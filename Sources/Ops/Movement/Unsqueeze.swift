import ONNXGraph

/// Unsqueeze (opsets 1..25): a view with size-1 dims inserted at `axes` (attribute before opset 13,
/// int64 input #1 after), which index the output (rank + axes.count); negatives count from its end.
struct Unsqueeze: Operator, Hashable {
    let attributeAxes: [Int]?

    init(_ node: NodeAttributes) throws(OpError) {
        if node.opset < 13 {
            guard let a = try node.ints("axes") else { throw OpError(.missingAttribute("axes")) }
            attributeAxes = a
        } else {
            attributeAxes = nil
        }
    }

    static func outputShape<D>(_ input: [D], axes: [Int], one: D) throws(OpError) -> [D] {
        let rank = input.count + axes.count
        let n = try Movement.normalizeAxes(axes, rank: rank)
        var out: [D] = []
        out.reserveCapacity(rank)
        var next = 0
        for i in 0..<rank {
            if n.contains(i) {
                out.append(one)
            } else {
                out.append(input[next])
                next += 1
            }
        }
        return out
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        guard let d = x.dims else { return [TensorType(x.dataType, nil)] }
        if let attributeAxes {
            return [TensorType(x.dataType, try Unsqueeze.outputShape(d, axes: attributeAxes, one: .value(1)))]
        }
        guard let n = Movement.vectorLength(Movement.fact(inputs, 1)) else { return [TensorType(x.dataType, nil)] }
        // With every input dim 1 (or none), every output dim is 1 wherever the axes go.
        let allOnes = d.allSatisfy { $0 == .value(1) }
        return [TensorType(x.dataType, allOnes ? Array(repeating: .value(1), count: d.count + n) : Movement.unknownDims(d.count + n))]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let axes: [Int]
        if let attributeAxes {
            axes = attributeAxes
        } else {
            let t = try io.required(1)
            guard t.dataType == .int64 else { throw OpError.type(1, t.dataType) }
            axes = try Movement.vector(t, input: 1, name: "Unsqueeze axes")
        }
        io.setOutput(0, try Movement.reshape(x, Unsqueeze.outputShape(x.shape, axes: axes, one: 1)))
    }
}

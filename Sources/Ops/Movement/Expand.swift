import ONNXGraph

/// Expand (opsets 8, 13): broadcasts `input` against the int64 1-D `shape` input numpy-style in
/// both directions (out = broadcast(input.shape, shape); a 1 in `shape` keeps the input's dim).
/// Any element type.
struct Expand: Operator, Hashable {
    init(_ node: NodeAttributes) throws(OpError) {}

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        guard let d = x.dims, Movement.fact(inputs, 1).rank == 1, let n = Movement.vectorLength(Movement.fact(inputs, 1)) else {
            return [TensorType(x.dataType, nil)]
        }
        let rank = max(d.count, n)
        var dims = Movement.unknownDims(rank)
        for (i, v) in d.enumerated() {
            if let k = v.value, k != 1 { dims[rank - d.count + i] = .value(k) }
        }
        return [TensorType(x.dataType, dims)]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0), s = try io.required(1)
        guard s.dataType == .int64 else { throw OpError.type(1, s.dataType) }
        let shape = try Movement.vector(s, input: 1, name: "Expand shape")
        guard shape.allSatisfy({ $0 >= 0 }) else { throw OpError.shape("Expand: negative dim in \(shape)") }
        let outShape = try Broadcast.shape([x.shape, shape])
        if outShape == x.shape {
            io.setOutput(0, x)
            return
        }
        _ = try Movement.elementCount(outShape)
        io.setOutput(0, try Movement.copyStrided(x, offset: 0, shape: outShape,
                                                 strides: Broadcast.strides(of: x.shape, to: outShape), &io))
    }
}

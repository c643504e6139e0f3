import ONNXGraph

/// Tile (opsets 1, 6, 13): out.shape[i] = input.shape[i] * repeats[i] for the int64 1-D `repeats`
/// input (one non-negative entry per input dim). Opset 1 instead takes scalar `tiles` and `axis`
/// inputs (repeat `tiles` times along `axis`). Any element type.
struct Tile: Operator, Hashable {
    let legacy: Bool

    init(_ node: NodeAttributes) throws(OpError) {
        legacy = node.opset < 6
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        return [TensorType(x.dataType, x.rank.map { Movement.unknownDims($0) })]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        var repeats: [Int]
        if legacy {
            let tiles = try Movement.scalar(try io.required(1), input: 1, name: "Tile tiles")
            let axis = try Movement.axis(try Movement.scalar(try io.required(2), input: 2, name: "Tile axis"), rank: x.rank)
            repeats = Array(repeating: 1, count: x.rank)
            repeats[axis] = tiles
        } else {
            let r = try io.required(1)
            guard r.dataType == .int64 else { throw OpError.type(1, r.dataType) }
            repeats = try Movement.vector(r, input: 1, name: "Tile repeats")
        }
        guard repeats.count == x.rank else {
            throw OpError.shape("Tile: \(repeats.count) repeats for an input of rank \(x.rank)")
        }
        guard repeats.allSatisfy({ $0 >= 0 }) else { throw OpError.shape("Tile: negative repeats \(repeats)") }
        var outShape: [Int] = []
        for (d, r) in zip(x.shape, repeats) {
            let (m, o) = d.multipliedReportingOverflow(by: r)
            guard !o else { throw OpError.shape("Tile: \(x.shape) × \(repeats) overflows") }
            outShape.append(m)
        }
        _ = try Movement.elementCount(outShape)
        // The output of shape [r0*d0, r1*d1, ...] is the contiguous [r0, d0, r1, d1, ...] whose
        // repeat dims read with stride 0.
        let inStrides = Movement.strides(x.shape)
        var shape: [Int] = [], strides: [Int] = []
        for i in 0..<x.rank {
            shape += [repeats[i], x.shape[i]]
            strides += [0, inStrides[i]]
        }
        let out = try Movement.copyStrided(x, offset: 0, shape: shape, strides: strides, &io)
        io.setOutput(0, try Movement.reshape(out, outShape))
    }
}

import ONNXGraph

/// Concat (opsets 1, 4, 11, 13): joins inputs along `axis` (default 1 before opset 4, required
/// after; negative from opset 11). Inputs share rank (>= 1), type and every dim but `axis`.
/// Any element type; copies contiguous runs.
struct Concat: Operator, Hashable {
    let axis: Int

    init(_ node: NodeAttributes) throws(OpError) {
        if node.opset < 4 {
            axis = try node.int("axis", default: 1)
        } else {
            axis = try node.requiredInt("axis")
        }
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let facts = inputs.map { $0 ?? .unknown }
        let type = facts.lazy.compactMap(\.dataType).first
        guard let rank = facts.lazy.compactMap(\.rank).first, rank >= 1 else { return [TensorType(type, nil)] }
        let a = try NodeAttributes.normalizeAxis(axis, rank: rank)
        var dims = Movement.unknownDims(rank)
        var sum: Int? = 0
        for f in facts {
            guard let d = f.dims else { sum = nil; continue }
            guard d.count == rank else { throw OpError.shape("Concat: inputs of ranks \(rank) and \(d.count)") }
            for i in 0..<rank where i != a && dims[i] == .unknown { dims[i] = d[i] }
            if let s = sum, let v = d[a].value { sum = s + v } else { sum = nil }
        }
        dims[a] = sum.map { .value($0) } ?? .unknown
        return [TensorType(type, dims)]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        var inputs: [Tensor] = []
        inputs.reserveCapacity(io.inputCount)
        for i in 0..<io.inputCount {
            if let t = io.input(i) { inputs.append(t) }
        }
        guard let first = inputs.first else { throw OpError(.wrongInputCount(expected: "at least 1", actual: 0)) }
        let rank = first.rank
        let a = try Movement.axis(axis, rank: rank)
        var outShape = first.shape
        outShape[a] = 0
        for (i, t) in inputs.enumerated() {
            guard t.dataType == first.dataType else { throw OpError.type(i, t.dataType) }
            guard t.rank == rank, (0..<rank).allSatisfy({ $0 == a || t.shape[$0] == first.shape[$0] }) else {
                throw OpError.shape("Concat: shapes \(first.shape) and \(t.shape) differ off axis \(a)")
            }
            outShape[a] += t.shape[a]
        }
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        let rowOut = outShape[a] * inner
        if first.dataType == .string {
            var out: [String] = []
            out.reserveCapacity(outer * rowOut)
            for o in 0..<outer {
                for t in inputs {
                    let n = t.shape[a] * inner
                    out.append(contentsOf: t.storage.strings[(o * n)..<(o * n + n)])
                }
            }
            io.setOutput(0, try Movement.strings(out, shape: outShape))
            return
        }
        let out = try io.allocate(first.dataType, outShape)
        var column = 0
        for t in inputs {
            let n = t.shape[a] * inner
            for o in 0..<outer {
                Movement.copyElements(from: t, o * n, to: out, o * rowOut + column, count: n)
            }
            column += n
        }
        io.setOutput(0, out)
    }
}

import ONNXGraph

/// Transpose (opsets 1..25): out.shape[i] = in.shape[perm[i]]; `perm` defaults to reversed axes and
/// must be a permutation of 0..<rank (negative entries are rejected, as the spec has them). When the
/// permutation keeps the order of every dim larger than 1 the result is a view; otherwise a tiled
/// strided copy. Any element type. A padded input (`Tensor.isDense == false`) is read through its
/// slab pitch by the strided copy, whatever the permutation; the output is dense.
struct Transpose: Operator, Hashable {
    static var acceptsPaddedInputs: Bool { true }

    let perm: [Int]?

    init(_ node: NodeAttributes) throws(OpError) {
        perm = try node.ints("perm")
        if let perm { _ = try Transpose.validate(perm, rank: perm.count) }
    }

    static func validate(_ perm: [Int], rank: Int) throws(OpError) -> [Int] {
        guard perm.count == rank else {
            throw OpError(.invalidAttribute("perm", "\(perm) has \(perm.count) entries for rank \(rank)"))
        }
        var seen = Array(repeating: false, count: rank)
        for p in perm {
            guard p >= 0, p < rank, !seen[p] else {
                throw OpError(.invalidAttribute("perm", "\(perm) is not a permutation of 0..<\(rank)"))
            }
            seen[p] = true
        }
        return perm
    }

    func permutation(rank: Int) throws(OpError) -> [Int] {
        guard let perm else { return Array((0..<rank).reversed()) }
        return try Transpose.validate(perm, rank: rank)
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        guard let d = x.dims else { return [TensorType(x.dataType, perm.map { Movement.unknownDims($0.count) })] }
        let p = try permutation(rank: d.count)
        return [TensorType(x.dataType, p.map { d[$0] })]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let p = try permutation(rank: x.rank)
        let outShape = p.map { x.shape[$0] }
        if !x.isDense {
            // Row-major strides of the padded layout: rows `shape[r-1]` apart, slabs `slabPitch` apart.
            let r = x.rank
            var inStrides = Array(repeating: 1, count: r)
            inStrides[r - 2] = x.shape[r - 1]
            if r >= 3 { inStrides[r - 3] = x.slabPitch }
            for i in stride(from: r - 4, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * x.shape[i + 1] }
            io.setOutput(0, try Movement.copyStrided(x, offset: 0, shape: outShape, strides: p.map { inStrides[$0] }, &io))
            return
        }
        let moved = p.filter { x.shape[$0] != 1 }
        if zip(moved, moved.dropFirst()).allSatisfy({ $0 < $1 }) {
            io.setOutput(0, try Movement.reshape(x, outShape))
            return
        }
        let inStrides = Movement.strides(x.shape)
        io.setOutput(0, try Movement.copyStrided(x, offset: 0, shape: outShape, strides: p.map { inStrides[$0] }, &io))
    }
}

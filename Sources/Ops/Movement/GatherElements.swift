import CKernels
import ONNXGraph

/// GatherElements (opsets 11, 13): `out[p] = data[p with p[axis] replaced by indices[p]]`.
/// `indices` (int32/int64) has data's rank; each of its dims is at most data's (except along
/// `axis`, which is free). out.shape = indices.shape. Any element type; indices outside
/// [-dim, dim) throw.
struct GatherElements: Operator, Hashable {
    let axis: Int

    init(_ node: NodeAttributes) throws(OpError) {
        axis = try node.int("axis", default: 0)
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [TensorType(Movement.fact(inputs, 0).dataType, Movement.fact(inputs, 1).dims)]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let data = try io.required(0), indices = try io.required(1)
        let rank = data.rank
        let a = try Movement.axis(axis, rank: rank)
        guard indices.dataType == .int64 || indices.dataType == .int32 else { throw OpError.type(1, indices.dataType) }
        guard indices.rank == rank else {
            throw OpError.shape("GatherElements: indices rank \(indices.rank) differs from data rank \(rank)")
        }
        for d in 0..<rank where d != a && indices.shape[d] > data.shape[d] {
            throw OpError.shape("GatherElements: indices shape \(indices.shape) exceeds data shape \(data.shape) at dim \(d)")
        }
        let strides = Movement.strides(data.shape)
        let dim = data.shape[a]
        if data.dataType == .string {
            let idx = try Movement.ints(indices, input: 1)
            let src = data.storage.strings
            var out: [String] = []
            out.reserveCapacity(idx.count)
            var c = Array(repeating: 0, count: rank)
            for p in 0..<idx.count {
                let i = idx[p]
                guard i >= -dim, i < dim else {
                    throw OpError.value("GatherElements index \(i) is out of range for axis of size \(dim)")
                }
                var off = 0
                for d in 0..<rank { off += (d == a ? (i < 0 ? i + dim : i) : c[d]) * strides[d] }
                out.append(src[off])
                var j = rank - 1
                while j >= 0 {
                    c[j] += 1
                    if c[j] < indices.shape[j] { break }
                    c[j] = 0
                    j -= 1
                }
            }
            io.setOutput(0, try Movement.strings(out, shape: indices.shape))
            return
        }
        let out = try io.allocate(data.dataType, indices.shape)
        let shape64 = indices.shape.map { Int64($0) }, strides64 = strides.map { Int64($0) }
        let bad = shape64.withUnsafeBufferPointer { sp in
            strides64.withUnsafeBufferPointer { tp in
                ck_gather_elements(out.data, data.data, data.dataType.storageSize, Int32(rank), sp.baseAddress,
                                   tp.baseAddress, Int32(a), Int64(dim), indices.data, indices.dataType == .int64 ? 1 : 0)
            }
        }
        if bad == -2 { throw OpError.shape("rank \(rank) exceeds the supported \(CK_MOVE_MAX_RANK)") }
        if bad >= 0 {
            let v = indices.dataType == .int64 ? Int(indices.elements(Int64.self)[Int(bad)]) : Int(indices.elements(Int32.self)[Int(bad)])
            throw OpError.value("GatherElements index \(v) is out of range for axis of size \(dim)")
        }
        io.setOutput(0, out)
    }
}

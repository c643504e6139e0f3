import CKernels
import ONNXGraph

/// Gather (opsets 1, 11, 13): `out = data` indexed along `axis` by `indices` (int32/int64, negative
/// counts from the end). out.shape = data.shape[..<axis] + indices.shape + data.shape[(axis+1)...].
/// Any element type. Indices outside [-dim, dim) throw.
struct Gather: Operator, Hashable {
    let axis: Int

    init(_ node: NodeAttributes) throws(OpError) {
        axis = try node.int("axis", default: 0)
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let data = Movement.fact(inputs, 0), indices = Movement.fact(inputs, 1)
        guard let d = data.dims, let q = indices.dims, !d.isEmpty else { return [TensorType(data.dataType, nil)] }
        let a = try NodeAttributes.normalizeAxis(axis, rank: d.count)
        return [TensorType(data.dataType, Array(d[..<a]) + q + Array(d[(a + 1)...]))]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let data = try io.required(0), indices = try io.required(1)
        let a = try Movement.axis(axis, rank: data.rank)
        guard indices.dataType == .int64 || indices.dataType == .int32 else { throw OpError.type(1, indices.dataType) }
        let outShape = Array(data.shape[..<a]) + indices.shape + Array(data.shape[(a + 1)...])
        let outer = data.shape[..<a].reduce(1, *), dim = data.shape[a]
        let inner = data.shape[(a + 1)...].reduce(1, *)
        if data.dataType == .string {
            try Movement.checkStringCount(outShape)
            let idx = try Movement.ints(indices, input: 1)
            var out: [String] = []
            out.reserveCapacity(outer * idx.count * inner)
            let src = data.storage.strings
            for i in idx where i < -dim || i >= dim {
                throw OpError.value("Gather index \(i) is out of range for axis of size \(dim)")
            }
            for o in 0..<outer {
                for i in idx {
                    let start = (o * dim + (i < 0 ? i + dim : i)) * inner
                    out.append(contentsOf: src[start..<(start + inner)])
                }
            }
            io.setOutput(0, try Movement.strings(out, shape: outShape))
            return
        }
        let out = try io.allocate(data.dataType, outShape)
        let block = inner * data.dataType.storageSize
        let bad: Int64 = indices.dataType == .int64
            ? ck_gather_i64(out.data, data.data, Int64(outer), Int64(dim), block, indices.elements(Int64.self), Int64(indices.count))
            : ck_gather_i32(out.data, data.data, Int64(outer), Int64(dim), block, indices.elements(Int32.self), Int64(indices.count))
        if bad >= 0 {
            let v = indices.dataType == .int64 ? Int(indices.elements(Int64.self)[Int(bad)]) : Int(indices.elements(Int32.self)[Int(bad)])
            throw OpError.value("Gather index \(v) is out of range for axis of size \(dim)")
        }
        io.setOutput(0, out)
    }
}

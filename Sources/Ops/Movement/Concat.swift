import ONNXGraph

/// Concat (opsets 1, 4, 11, 13): joins inputs along `axis` (default 1 before opset 4, required
/// after; negative from opset 11). Inputs share rank (>= 1), type and every dim but `axis`.
/// Any element type; copies contiguous runs.
///
/// Padded inputs (KV caches): when input 0 is padded (`isPadded`, even with a full capacity) and
/// `axis` is `rank - 2`, the other inputs' rows are written into input 0's spare rows in place and the output is a padded view of input
/// 0's storage (`Tensor.appendingRows`), so a cache grows without being copied. When the spare
/// rows run out, or another view already appended past input 0 (its rows must stay), input 0's
/// valid rows are copied once into fresh padded storage (capacity doubled when needed) and the
/// append happens there. Any other layout reads padded inputs through dense copies and gives a
/// dense output, as do dense inputs.
struct Concat: Operator, Hashable {
    static var acceptsPaddedInputs: Bool { true }

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
        if first.isPadded && a == rank - 2 {
            io.setOutput(0, try Concat.appending(inputs, outShape[a] - first.shape[a]))
            return
        }
        if inputs.contains(where: { !$0.isDense }) {
            for i in inputs.indices { inputs[i] = try io.dense(inputs[i]) }
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

    /// Input 0 padded, concatenated along `rank - 2`: the other inputs' `added` rows go after its
    /// valid rows in every slab, in place when it can append (see the type's comment).
    static func appending(_ inputs: [Tensor], _ added: Int) throws(OpError) -> Tensor {
        let first = inputs[0]
        let r = first.rank
        var out: Tensor
        if let view = first.appendingRows(added) {
            out = view
        } else {
            let total = first.shape[r - 2] + added
            let capacity = total <= first.rowCapacity ? first.rowCapacity : max(2 * first.rowCapacity, total)
            let copy: Tensor
            do { copy = try first.padded(rowCapacity: capacity) } catch { throw OpError(error) }
            guard let view = copy.appendingRows(added) else {
                throw OpError.value("Concat: fresh padded storage refused \(added) rows")
            }
            out = view
        }
        let es = first.dataType.storageSize, rowBytes = first.shape[r - 1] * es
        let outPitch = out.slabPitch * es
        var row = first.shape[r - 2]
        for t in inputs.dropFirst() {
            let bytes = t.shape[r - 2] * rowBytes, pitch = t.slabPitch * es
            if bytes > 0 {
                for s in 0..<out.slabCount {
                    (out.data + s * outPitch + row * rowBytes).copyMemory(from: t.data + s * pitch, byteCount: bytes)
                }
            }
            row += t.shape[r - 2]
        }
        return out
    }
}

import ONNXGraph

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tensor helpers of the decoding loop. Contracts: batch is always axis 0; tensors are dense except
/// self-attention caches, which are padded along axis `rank - 2` (see `Tensor`).
enum BatchTensors {
    /// int64 [rows.count, width]: each row left-aligned, padded with `pad`.
    static func ids(_ rows: [[Int]], width: Int, pad: Int) throws(GraphError) -> Tensor {
        let t = try Tensor(allocating: .int64, shape: [rows.count, width])
        let p = t.elements(Int64.self)
        for (r, row) in rows.enumerated() {
            for c in 0..<width { p[r * width + c] = Int64(c < row.count ? row[c] : pad) }
        }
        return t
    }

    /// int64 [rows.count, width]: 1 where a row has a token, 0 in its padding.
    static func mask(_ rows: [[Int]], width: Int) throws(GraphError) -> Tensor {
        let t = try Tensor(allocating: .int64, shape: [rows.count, width])
        let p = t.elements(Int64.self)
        for (r, row) in rows.enumerated() {
            for c in 0..<width { p[r * width + c] = c < row.count ? 1 : 0 }
        }
        return t
    }

    /// A zero-element tensor of `type` with the batch dim set to `batch` and the dim at `axis`
    /// (the sequence) set to 0: the empty past of a merged decoder's first step. Nil when a
    /// dimension other than those two is not static.
    static func emptyPast(_ type: TensorType, batch: Int, axis: Int) throws(GraphError) -> Tensor? {
        guard let dataType = type.dataType, let dims = type.dims, dims.count > axis else { return nil }
        var shape: [Int] = []
        for (i, d) in dims.enumerated() {
            if i == 0 { shape.append(batch) } else if i == axis { shape.append(0) } else {
                guard let v = d.value else { return nil }
                shape.append(v)
            }
        }
        return try Tensor(allocating: dataType, shape: shape)
    }

    /// Rows `keep` (indices into axis 0, ascending) of `t`, copied into a new tensor. A padded `t`
    /// of rank >= 3 gives a padded tensor of the same row capacity (only valid rows are copied);
    /// a padded one of rank 2 (whose axis 0 is the padded axis) a dense one.
    static func rows(_ t: Tensor, _ keep: [Int]) throws(GraphError) -> Tensor {
        if t.isPadded {
            guard t.rank >= 3 else { return try rows(t.densified(), keep) }
            var shape = t.shape
            shape[0] = keep.count
            let out = try Tensor(allocating: t.dataType, shape: shape, rowCapacity: t.rowCapacity)
            let es = t.dataType.storageSize
            let validBytes = t.shape[t.rank - 2] * t.shape[t.rank - 1] * es, pitchBytes = t.slabPitch * es
            let slabsPerRow = t.shape[0] == 0 ? 0 : t.slabCount / t.shape[0]
            guard validBytes > 0 else { return out }
            for (i, r) in keep.enumerated() {
                for j in 0..<slabsPerRow {
                    memcpy(out.data + (i * slabsPerRow + j) * pitchBytes, t.data + (r * slabsPerRow + j) * pitchBytes, validBytes)
                }
            }
            return out
        }
        var shape = t.shape
        let rowBytes = t.shape.isEmpty || t.shape[0] == 0 ? 0 : t.byteCount / t.shape[0]
        shape[0] = keep.count
        let out = try Tensor(allocating: t.dataType, shape: shape)
        for (i, r) in keep.enumerated() where rowBytes > 0 {
            memcpy(out.data + i * rowBytes, t.data + r * rowBytes, rowBytes)
        }
        return out
    }

    /// For each row of float logits [rows, positions, vocabulary], the argmax over the last
    /// position's vocabulary, skipping `suppressed` ids; ties go to the lowest id (numpy's argmax).
    /// float16/bfloat16 logits are compared through Float.
    static func argmaxLastPosition(_ logits: Tensor, suppressed: Set<Int>) throws(TranslateError) -> [Int] {
        guard logits.rank == 3, logits.shape[2] > 0 else {
            throw TranslateError(.run("logits have shape \(logits.shape), expected [batch, length, vocabulary]"))
        }
        let (rows, positions, vocabulary) = (logits.shape[0], logits.shape[1], logits.shape[2])
        var result: [Int] = []
        result.reserveCapacity(rows)
        for r in 0..<rows {
            let base = (r * positions + positions - 1) * vocabulary
            var best = -1
            var bestValue = -Float.infinity
            func consider(_ j: Int, _ v: Float) {
                if (v > bestValue || best < 0) && !suppressed.contains(j) { best = j; bestValue = v }
            }
            switch logits.dataType {
            case .float:
                let p = logits.elements(Float.self) + base
                if suppressed.isEmpty {
                    best = 0; bestValue = p[0]
                    for j in 1..<vocabulary where p[j] > bestValue { best = j; bestValue = p[j] }
                } else {
                    for j in 0..<vocabulary { consider(j, p[j]) }
                }
            case .float16:
                let p = logits.elements(UInt16.self) + base
                for j in 0..<vocabulary { consider(j, Float(Float16(bitPattern: p[j]))) }
            case .double:
                let p = logits.elements(Double.self) + base
                for j in 0..<vocabulary { consider(j, Float(p[j])) }
            default:
                throw TranslateError(.run("logits of type \(logits.dataType) are not supported"))
            }
            result.append(max(best, 0))
        }
        return result
    }
}

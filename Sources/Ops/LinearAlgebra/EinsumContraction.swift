import Kernels
import ONNXGraph

extension Einsum {
    /// Two operands, each term with distinct labels and every dim at its label's full size (no
    /// size-1 broadcasting), whose labels are all batch (both inputs and the output), m (x and
    /// output), n (y and output) or k (both inputs only): permuted into [batch, m, k] · [batch, k, n],
    /// multiplied (fp32 GEMM kernels for Float, the generic loop otherwise) and permuted into the
    /// output order. Returns false, doing nothing, when the operands do not have that form.
    func contractPair<T: LinalgScalar>(_ x: Tensor, _ tx: [Int], _ y: Tensor, _ ty: [Int], _ out: [Int],
                                       _ size: [Int], _ result: Tensor, _: T.Type) throws(OpError) -> Bool {
        guard Set(tx).count == tx.count, Set(ty).count == ty.count else { return false }
        for (l, d) in zip(tx, x.shape) where d != size[l] { return false }
        for (l, d) in zip(ty, y.shape) where d != size[l] { return false }
        let outSet = Set(out), sx = Set(tx), sy = Set(ty)
        let batch = out.filter { sx.contains($0) && sy.contains($0) }
        let mLabels = out.filter { sx.contains($0) && !sy.contains($0) }
        let nLabels = out.filter { sy.contains($0) && !sx.contains($0) }
        let kLabels = tx.filter { sy.contains($0) && !outSet.contains($0) }
        guard batch.count + mLabels.count + kLabels.count == tx.count,
              batch.count + nLabels.count + kLabels.count == ty.count,
              batch.count + mLabels.count + nLabels.count == out.count else { return false }
        func extent(_ labels: [Int]) -> Int { labels.reduce(1) { $0 * size[$1] } }
        let b = extent(batch), m = extent(mLabels), n = extent(nLabels), k = extent(kLabels)
        let xs = try Self.scratch(x.dataType, b * m * k), ys = try Self.scratch(y.dataType, b * k * n)
        let zs = try Self.scratch(result.dataType, b * m * n)
        defer { withExtendedLifetime((xs, ys, zs)) {} }
        Self.permute(x, tx, into: xs, batch + mLabels + kLabels, size, T.self)
        Self.permute(y, ty, into: ys, batch + kLabels + nLabels, size, T.self)
        for i in 0..<b {
            if T.self == Float.self {
                let a = xs.elements(Float.self) + i * m * k, bp = ys.elements(Float.self) + i * k * n
                guard SGemm.sgemm(m: m, n: n, k: k, a: a, lda: k, b: bp, ldb: n,
                                  c: zs.elements(Float.self) + i * m * n, ldc: n)
                else { throw OpError.outOfMemory }
            } else {
                LinalgLoops.matmul(xs.elements(T.self) + i * m * k, ys.elements(T.self) + i * k * n,
                                   zs.elements(T.self) + i * m * n, m: m, k: k, n: n)
            }
        }
        Self.permute(zs, batch + mLabels + nLabels, into: result, out, size, T.self)
        return true
    }

    private static func scratch(_ type: DataType, _ count: Int) throws(OpError) -> Tensor {
        do { return try Tensor(allocating: type, shape: [count]) } catch { throw OpError(error) }
    }

    /// dst (contiguous, labels `dstLabels`) = src (contiguous, distinct labels `srcLabels`) reordered.
    private static func permute<T: LinalgScalar>(_ src: Tensor, _ srcLabels: [Int], into dst: Tensor, _ dstLabels: [Int],
                                                 _ size: [Int], _: T.Type) {
        let srcShape = srcLabels.map { size[$0] }
        let cs = Broadcast.contiguousStrides(srcShape)
        let strides = dstLabels.map { l in srcLabels.firstIndex(of: l).map { cs[$0] } ?? 0 }
        Loops(sizes: dstLabels.map { size[$0] }, outRank: dstLabels.count, strides: [strides]).run([src], dst, T.self)
    }
}

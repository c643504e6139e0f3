import Kernels
import ONNXGraph

/// `ai.onnxrun::FusedMatMul` (opset 1): ONNX Runtime's `com.microsoft::FusedMatMul` on float:
/// `Y = alpha · op(A) · op(B)` with numpy `matmul` batch broadcasting, the op `FuseMatMulScale`
/// rewrites `MatMul` with constant scalar `Mul`/`Div` factors into, and `FuseMatMulTranspose`
/// folds a last-two-axes `Transpose` into.
///
/// Inputs: 0. `A` float `[..., M, K]` (`[..., K, M]` when `transA`), 1. `B` float `[..., K, N]`
/// (`[..., N, K]` when `transB`). A rank-1 operand is promoted as numpy does (only without its
/// transpose flag). Padded operands (a KV cache) are read at their slab pitch, not copied.
/// Attributes: `alpha` (float, default 1), `transA`, `transB` (0 or 1, default 0);
/// `transBatchA` / `transBatchB` must be 0 (absent).
/// Output: float `batch + [M, N]`, the promoted dims dropped.
///
/// Rounding: each output is the k-ordered fused multiply-add sum of the GEMM kernel times `alpha`,
/// rounded once (ONNX Runtime's MLAS: `alpha != 1` never takes the M == 1 kernel), so it can
/// differ from `MatMul(Mul(A, c))` even for a power-of-two `c`, and equals ONNX Runtime's
/// FusedMatMul bit for bit.
public struct FusedMatMul: Operator, Hashable {
    public static var acceptsPaddedInputs: Bool { true }

    let alpha: Float
    let transA: Bool
    let transB: Bool

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
        alpha = try node.float("alpha", default: 1)
        func flag(_ name: String) throws(OpError) -> Bool {
            let v = try node.int(name, default: 0)
            guard v == 0 || v == 1 else { throw OpError(.invalidAttribute(name, "\(v) is not 0 or 1")) }
            return v == 1
        }
        transA = try flag("transA")
        transB = try flag("transB")
        for name in ["transBatchA", "transBatchB"] where try flag(name) {
            throw OpError(.invalidAttribute(name, "batch transposes are not supported"))
        }
    }

    /// The logical (untransposed) shape of an operand.
    static func logical(_ shape: [Int], _ trans: Bool) -> [Int] {
        guard trans, shape.count >= 2 else { return shape }
        var s = shape
        s.swapAt(s.count - 1, s.count - 2)
        return s
    }

    static func logicalDims(_ dims: [Dim]?, _ trans: Bool) -> [Dim]? {
        guard let dims, trans, dims.count >= 2 else { return dims }
        var s = dims
        s.swapAt(s.count - 1, s.count - 2)
        return s
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let a = inputs.first ?? nil, b = inputs.count > 1 ? inputs[1] : nil
        let dims = try MatMulGeometry.inferDims(Self.logicalDims(a?.dims, transA), Self.logicalDims(b?.dims, transB))
        return [TensorType(.float, dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let a = try io.required(0), b = try io.required(1)
        guard a.dataType == .float else { throw OpError.type(0, a.dataType) }
        guard b.dataType == .float else { throw OpError.type(1, b.dataType) }
        if (transA && a.rank < 2) || (transB && b.rank < 2) {
            throw OpError.shape("FusedMatMul: a transposed operand needs rank >= 2, got \(a.shape) and \(b.shape)")
        }
        let g = try MatMulGeometry(Self.logical(a.shape, transA), Self.logical(b.shape, transB),
                                   aPitch: a.isDense ? a.shape.suffix(2).reduce(1, *) : a.slabPitch,
                                   bPitch: b.isDense ? b.shape.suffix(2).reduce(1, *) : b.slabPitch)
        let y = try io.allocate(.float, g.outputShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        let ap = a.elements(Float.self), bp = b.elements(Float.self), yp = y.elements(Float.self)
        let tier = CPUTier.active
        let lda = transA ? g.m : g.k, ldb = transB ? g.k : g.n
        if g.k == 0 {
            yp.initialize(repeating: 0, count: y.count)
            return
        }
        // A B shared by every batch with A's rows consecutive: one GEMM, as ONNX Runtime folds it.
        if !transA, g.foldsBatchIntoRows, a.isDense {
            guard SGemm.sgemm(tier: tier, transB: transB, m: g.batchCount * g.m, n: g.n, k: g.k, alpha: alpha,
                              a: ap, lda: lda, b: bp, ldb: ldb, c: yp, ldc: g.n)
            else { throw OpError.outOfMemory }
            return
        }
        let ok = g.withBatchOffsets { aOffsets, bOffsets in
            SGemm.sgemmBatch(tier: tier, count: g.batchCount, transA: transA, transB: transB,
                             m: g.m, n: g.n, k: g.k, alpha: alpha, a: ap, aOffsets: aOffsets, lda: lda,
                             b: bp, bOffsets: bOffsets, ldb: ldb, c: yp, cStride: g.m * g.n, ldc: g.n)
        }
        guard ok else { throw OpError.outOfMemory }
    }
}

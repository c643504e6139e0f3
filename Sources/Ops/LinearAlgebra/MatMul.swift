import Kernels
import ONNXGraph

/// MatMul (opsets 1, 9, 13): numpy `matmul`: rank-1 promotion, broadcast batch dims.
///
/// Types: float (fp32 GEMM kernels), float16 / bfloat16 (computed in float, rounded once),
/// double, int32, int64, uint32, uint64 (integers wrap on overflow).
/// A constant 2-D fp32 B can be packed once with `prepacking(b:)` (see `PrepackedB`).
/// Padded operands (a KV cache, `Tensor.isDense == false`): fp32 reads each matrix at its slab
/// pitch (the GEMM's batch stride); other types compute on dense copies.
public struct MatMul: Operator, Hashable {
    public static var acceptsPaddedInputs: Bool { true }

    /// B packed at plan time, or nil.
    public var prepackedB: PrepackedB?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
    }

    /// This op with `b` (the constant B input) packed for the fp32 kernels. Unchanged when `b` is
    /// not a 2-D float tensor.
    public func prepacking(b: Tensor) throws(OpError) -> MatMul {
        guard b.dataType == .float, b.rank == 2 else { return self }
        guard let p = PackedFloatMatrix(k: b.shape[0], n: b.shape[1], b: b.elements(Float.self), ldb: b.shape[1]) else {
            throw OpError.outOfMemory
        }
        var op = self
        op.prepackedB = PrepackedB(.float(p), sourceShape: b.shape)
        return op
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let a = inputs.first ?? nil, b = inputs.count > 1 ? inputs[1] : nil
        let dims = try MatMulGeometry.inferDims(a?.dims, b?.dims)
        return [TensorType(a?.dataType ?? b?.dataType, dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        var a = try io.required(0)
        var (bInput, bShape) = try PrepackedB.bShape(io, index: 1, prepacked: prepackedB)
        if let bInput, bInput.dataType != a.dataType { throw OpError.type(1, bInput.dataType) }
        let padded = !a.isDense || bInput?.isDense == false
        if padded && a.dataType != .float {
            a = try io.dense(a)
            if let b = bInput { bInput = try io.dense(b) }
        }
        if a.dataType == .float, a.rank >= 2, bShape.count == 2, a.shape[a.rank - 1] == bShape[0] {
            try Self.floatRows(a, bInput, prepackedB?.float, bShape, &io)
            return
        }
        let g = padded && a.dataType == .float
            ? try MatMulGeometry(a.shape, bShape, aPitch: a.slabPitch, bPitch: bInput?.slabPitch ?? 0)
            : try MatMulGeometry(a.shape, bShape)
        let y = try io.allocate(a.dataType, g.outputShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        if a.dataType == .float, let packed = prepackedB?.float {
            try Self.floatGemm(g, a.elements(Float.self), nil, packed, y.elements(Float.self))
            return
        }
        guard let b = bInput else { throw OpError(.missingInput(index: 1)) }
        switch a.dataType {
        case .float:
            try Self.floatGemm(g, a.elements(Float.self), b.elements(Float.self), nil, y.elements(Float.self))
        case .float16, .bfloat16:
            let bf = a.dataType == .bfloat16
            let af = try LinalgLoops.floatScratch([a.count]), bfl = try LinalgLoops.floatScratch([b.count])
            let yf = try LinalgLoops.floatScratch([y.count])
            defer { withExtendedLifetime((af, bfl, yf)) {} }
            LinalgLoops.widen(a.elements(UInt16.self), af.elements(Float.self), count: a.count, bfloat: bf)
            LinalgLoops.widen(b.elements(UInt16.self), bfl.elements(Float.self), count: b.count, bfloat: bf)
            try Self.floatGemm(g, af.elements(Float.self), bfl.elements(Float.self), nil, yf.elements(Float.self))
            LinalgLoops.narrow(yf.elements(Float.self), y.elements(UInt16.self), count: y.count, bfloat: bf)
        case .double: Self.generic(g, a, b, y, Double.self)
        case .int32: Self.generic(g, a, b, y, Int32.self)
        case .int64: Self.generic(g, a, b, y, Int64.self)
        case .uint32: Self.generic(g, a, b, y, UInt32.self)
        case .uint64: Self.generic(g, a, b, y, UInt64.self)
        default: throw OpError.type(0, a.dataType)
        }
    }

    /// fp32 with a 2-D B (the weight case): every row of A is one GEMM row; no batch geometry.
    /// A padded A is one GEMM per slab (a 2-D B is one slab, laid out as if dense).
    private static func floatRows(_ a: Tensor, _ b: Tensor?, _ packed: PackedFloatMatrix?, _ bShape: [Int],
                                  _ io: inout OpIO) throws(OpError) {
        let k = bShape[0], n = bShape[1]
        var outShape = a.shape
        outShape[outShape.count - 1] = n
        let y = try io.allocate(.float, outShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        let slabs = a.isDense ? 1 : a.slabCount
        let rows = y.count / n / slabs
        for s in 0..<slabs {
            let ap = a.elements(Float.self) + s * a.slabPitch, yp = y.elements(Float.self) + s * rows * n
            if let packed {
                SGemm.sgemm(m: rows, a: ap, lda: k, packed: packed, c: yp, ldc: n)
            } else if let b {
                guard SGemm.sgemm(m: rows, n: n, k: k, a: ap, lda: k, b: b.elements(Float.self), ldb: n, c: yp, ldc: n)
                else { throw OpError.outOfMemory }
            } else {
                throw OpError(.missingInput(index: 1))
            }
        }
    }

    /// fp32 batches through the GEMM kernels; `packed` (2-D B) replaces `b` when given.
    static func floatGemm(_ g: MatMulGeometry, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>?,
                          _ packed: PackedFloatMatrix?, _ y: UnsafeMutablePointer<Float>) throws(OpError) {
        let tier = CPUTier.active
        if g.foldsBatchIntoRows {
            let rows = g.batchCount * g.m
            if let packed {
                SGemm.sgemm(tier: tier, m: rows, a: a, lda: g.k, packed: packed, c: y, ldc: g.n)
            } else if let b {
                guard SGemm.sgemm(tier: tier, m: rows, n: g.n, k: g.k, a: a, lda: g.k, b: b, ldb: g.n, c: y, ldc: g.n)
                else { throw OpError.outOfMemory }
            }
            return
        }
        // A B shared by several batches is packed once for all of them.
        var packed = packed
        if packed == nil, g.sharesB, g.batchCount > 1, let b {
            guard let p = PackedFloatMatrix(k: g.k, n: g.n, b: b, ldb: g.n) else { throw OpError.outOfMemory }
            packed = p
        }
        if let packed {
            for batch in 0..<g.batchCount {
                SGemm.sgemm(tier: tier, m: g.m, a: a + g.aOffset(batch), lda: g.k, packed: packed,
                            c: y + batch * g.m * g.n, ldc: g.n)
            }
        } else if let b {
            let ok = g.withBatchOffsets { aOffsets, bOffsets in
                SGemm.sgemmBatch(tier: tier, count: g.batchCount, m: g.m, n: g.n, k: g.k,
                                 a: a, aOffsets: aOffsets, lda: g.k, b: b, bOffsets: bOffsets, ldb: g.n,
                                 c: y, cStride: g.m * g.n, ldc: g.n)
            }
            guard ok else { throw OpError.outOfMemory }
        }
    }

    static func generic<T: LinalgScalar>(_ g: MatMulGeometry, _ a: Tensor, _ b: Tensor, _ y: Tensor, _: T.Type) {
        let ap = a.elements(T.self), bp = b.elements(T.self), yp = y.elements(T.self)
        for batch in 0..<g.batchCount {
            LinalgLoops.matmul(ap + g.aOffset(batch), bp + g.bOffset(batch), yp + batch * g.m * g.n,
                               m: g.m, k: g.k, n: g.n)
        }
    }
}

extension MatMulGeometry {
    /// The geometry of `a` × `b` (shapes) whose consecutive matrices start `aPitch` / `bPitch`
    /// elements apart instead of `m·k` / `k·n` (padded operands; a pitch of a rank < 2 operand is
    /// unused). Rows within a matrix stay `k` / `n` elements apart.
    init(_ a: [Int], _ b: [Int], aPitch: Int, bPitch: Int) throws(OpError) {
        let dense = try MatMulGeometry(a, b)
        m = dense.m
        k = dense.k
        n = dense.n
        batchShape = dense.batchShape
        batchCount = dense.batchCount
        outputShape = dense.outputShape
        let aBatch = Array(a.dropLast(min(a.count, 2))), bBatch = Array(b.dropLast(min(b.count, 2)))
        aBatchStrides = Broadcast.strides(of: aBatch, to: batchShape).map { $0 * aPitch }
        bBatchStrides = Broadcast.strides(of: bBatch, to: batchShape).map { $0 * bPitch }
    }
}

import Kernels
import ONNXGraph

/// Gemm (opsets 1–13): `Y[M×N] = alpha · op(A) · op(B) + beta · C`, A and B 2-D, `op` transposes
/// when `transA` / `transB`; C optional (required by the spec before opset 11, accepted missing
/// everywhere) and broadcast unidirectionally to [M, N]. The opset < 7 `broadcast` attribute is
/// accepted; C is always broadcast (a superset of broadcast = 0).
///
/// Types: float (fp32 kernels with a bias epilogue for row-vector C), float16 / bfloat16 (via
/// float), double, int32, int64, uint32, uint64 (integers: the product wraps; with alpha or beta
/// other than 1 the combination is computed in double and truncated, as ONNX's reference does).
public struct Gemm: Operator, Hashable {
    public let alpha: Float
    public let beta: Float
    public let transA: Bool
    public let transB: Bool
    /// B (already transposed per `transB`) packed at plan time, or nil.
    public var prepackedB: PrepackedB?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard (2...3).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "2 or 3", actual: node.inputCount))
        }
        alpha = try node.float("alpha", default: 1)
        beta = try node.float("beta", default: 1)
        transA = try node.int("transA", default: 0) != 0
        transB = try node.int("transB", default: 0) != 0
        _ = try node.int("broadcast", default: 0)
    }

    /// This op with the constant B input packed for the fp32 kernels (unchanged for other types).
    public func prepacking(b: Tensor) throws(OpError) -> Gemm {
        guard b.dataType == .float, b.rank == 2 else { return self }
        let (k, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard let p = PackedFloatMatrix(transB: transB, k: k, n: n, b: b.elements(Float.self), ldb: b.shape[1]) else {
            throw OpError.outOfMemory
        }
        var op = self
        op.prepackedB = PrepackedB(.float(p), sourceShape: b.shape)
        return op
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let a = inputs.first ?? nil, b = inputs.count > 1 ? inputs[1] : nil
        var dims: [Dim]? = nil
        if let ad = a?.dims, let bd = b?.dims {
            guard ad.count == 2, bd.count == 2 else { throw OpError.shape("Gemm: A and B must be 2-D") }
            let m = transA ? ad[1] : ad[0], ka = transA ? ad[0] : ad[1]
            let kb = transB ? bd[1] : bd[0], n = transB ? bd[0] : bd[1]
            if let x = ka.value, let y = kb.value, x != y { throw OpError.shape("Gemm: inner dims differ: \(x) and \(y)") }
            dims = [m, n]
        }
        return [TensorType(a?.dataType ?? b?.dataType, dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let a = try io.required(0)
        let (bInput, bShape) = try PrepackedB.bShape(io, index: 1, prepacked: prepackedB)
        guard a.rank == 2, bShape.count == 2 else { throw OpError.shape("Gemm: A \(a.shape) and B \(bShape) must be 2-D") }
        if let bInput, bInput.dataType != a.dataType { throw OpError.type(1, bInput.dataType) }
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let kb = transB ? bShape[1] : bShape[0], n = transB ? bShape[0] : bShape[1]
        guard k == kb else { throw OpError.shape("Gemm: inner dims differ: A \(a.shape), B \(bShape)") }
        var c = io.input(2)
        if let ct = c {
            guard ct.dataType == a.dataType else { throw OpError.type(2, ct.dataType) }
            guard ct.rank <= 2, (try? Broadcast.shape([ct.shape, [m, n]])) == [m, n] else {
                throw OpError.shape("Gemm: C of shape \(ct.shape) does not broadcast to [\(m), \(n)]")
            }
            if beta == 0 { c = nil }
        }
        let y = try io.allocate(a.dataType, [m, n])
        io.setOutput(0, y)
        if y.count == 0 { return }
        let cStrides = c.map { Broadcast.strides(of: $0.shape, to: [m, n]) } ?? [0, 0]
        switch a.dataType {
        case .float:
            let packed = prepackedB?.float
            guard packed != nil || bInput != nil else { throw OpError(.missingInput(index: 1)) }
            try floatGemm(m, n, k, a.elements(Float.self), bInput?.elements(Float.self), packed,
                          c?.elements(Float.self), cStrides, y.elements(Float.self))
        case .float16, .bfloat16:
            guard let b = bInput else { throw OpError(.missingInput(index: 1)) }
            let bf = a.dataType == .bfloat16
            let af = try LinalgLoops.floatScratch([a.count]), bfl = try LinalgLoops.floatScratch([b.count])
            let yf = try LinalgLoops.floatScratch([y.count])
            defer { withExtendedLifetime((af, bfl, yf)) {} }
            LinalgLoops.widen(a.elements(UInt16.self), af.elements(Float.self), count: a.count, bfloat: bf)
            LinalgLoops.widen(b.elements(UInt16.self), bfl.elements(Float.self), count: b.count, bfloat: bf)
            var cf: Tensor? = nil
            if let c {
                let t = try LinalgLoops.floatScratch([c.count])
                LinalgLoops.widen(c.elements(UInt16.self), t.elements(Float.self), count: c.count, bfloat: bf)
                cf = t
            }
            defer { withExtendedLifetime(cf) {} }
            try floatGemm(m, n, k, af.elements(Float.self), bfl.elements(Float.self), nil, cf?.elements(Float.self),
                          cStrides, yf.elements(Float.self))
            LinalgLoops.narrow(yf.elements(Float.self), y.elements(UInt16.self), count: y.count, bfloat: bf)
        case .double: try generic(m, n, k, a, bInput, c, cStrides, y, Double.self)
        case .int32: try generic(m, n, k, a, bInput, c, cStrides, y, Int32.self)
        case .int64: try generic(m, n, k, a, bInput, c, cStrides, y, Int64.self)
        case .uint32: try generic(m, n, k, a, bInput, c, cStrides, y, UInt32.self)
        case .uint64: try generic(m, n, k, a, bInput, c, cStrides, y, UInt64.self)
        default: throw OpError.type(0, a.dataType)
        }
    }

    /// fp32: a C that is constant down the rows becomes the kernel's bias (scaled by beta);
    /// any other C is broadcast into Y first and scaled through the kernel's beta.
    private func floatGemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Float>,
                           _ b: UnsafeMutablePointer<Float>?, _ packed: PackedFloatMatrix?,
                           _ c: UnsafeMutablePointer<Float>?, _ cs: [Int], _ y: UnsafeMutablePointer<Float>) throws(OpError) {
        let lda = transA ? m : k
        var kernelBeta: Float = 0
        var biasTensor: Tensor? = nil
        if let c {
            if cs[0] == 0 {
                let t = try LinalgLoops.floatScratch([n])
                let bp = t.elements(Float.self)
                for j in 0..<n { bp[j] = beta * c[j * cs[1]] }
                biasTensor = t
            } else {
                for i in 0..<m {
                    for j in 0..<n { y[i * n + j] = c[i * cs[0] + j * cs[1]] }
                }
                kernelBeta = beta
            }
        }
        defer { withExtendedLifetime(biasTensor) {} }
        let bias = biasTensor.map { UnsafePointer($0.elements(Float.self)) }
        let tier = CPUTier.active
        if let packed {
            SGemm.sgemm(tier: tier, transA: transA, m: m, alpha: alpha, a: a, lda: lda, packed: packed,
                        beta: kernelBeta, c: y, ldc: n, bias: bias)
        } else if let b {
            let ldb = transB ? k : n
            guard SGemm.sgemm(tier: tier, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                              a: a, lda: lda, b: b, ldb: ldb, beta: kernelBeta, c: y, ldc: n, bias: bias)
            else { throw OpError.outOfMemory }
        }
    }

    private func generic<T: LinalgConvertible>(_ m: Int, _ n: Int, _ k: Int, _ a: Tensor, _ b: Tensor?, _ c: Tensor?,
                                               _ cs: [Int], _ y: Tensor, _: T.Type) throws(OpError) {
        guard let b else { throw OpError(.missingInput(index: 1)) }
        let ap = a.elements(T.self), bp = b.elements(T.self), yp = y.elements(T.self)
        let (ai, ap2) = transA ? (1, m) : (k, 1)   // A(i,p) = ap[i*ai + p*ap2]
        let (bpk, bj) = transB ? (1, k) : (n, 1)   // B(p,j) = bp[p*bpk + j*bj]
        let plain = alpha == 1 && (beta == 1 || c == nil)
        let cp = c?.elements(T.self)
        for i in 0..<m {
            for j in 0..<n {
                var s = T.zero
                for p in 0..<k { s = T.add(s, T.mul(ap[i * ai + p * ap2], bp[p * bpk + j * bj])) }
                if plain {
                    if let cp { s = T.add(s, cp[i * cs[0] + j * cs[1]]) }
                } else {
                    var v = s.linalgDouble * Double(alpha)
                    if let cp { v += cp[i * cs[0] + j * cs[1]].linalgDouble * Double(beta) }
                    s = T(linalgDouble: v)
                }
                yp[i * n + j] = s
            }
        }
    }
}

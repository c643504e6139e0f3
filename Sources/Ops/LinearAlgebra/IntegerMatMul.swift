import Kernels
import ONNXGraph

/// The int8 × int8 → int32 batched product shared by MatMulInteger and QLinearMatMul.
enum IntegerMatMul {
    static func isInt8(_ t: DataType) -> Bool { t == .uint8 || t == .int8 }

    /// The 8-bit B operand at input `index`: the tensor (nil when only its prepacked form exists),
    /// its shape, its element type (the packed matrix's signedness when prepacked) and the packed
    /// matrix. Throws when B is not int8 or uint8.
    static func operandB(_ io: OpIO, index: Int, prepacked: PrepackedB?) throws(OpError)
        -> (input: Tensor?, shape: [Int], type: DataType, packed: PackedInt8Matrix?) {
        let (input, shape) = try PrepackedB.bShape(io, index: index, prepacked: prepacked)
        let packed = prepacked?.int8
        let type = input?.dataType ?? ((packed?.isSigned ?? false) ? DataType.int8 : .uint8)
        guard isInt8(type) else { throw OpError.type(index, type) }
        return (input, shape, type, packed)
    }

    /// A zero point as Int32 values plus where each batch's values start.
    struct ZeroPoint {
        let values: Tensor
        let layout: QuantParamLayout

        init?(_ t: Tensor?, expected: DataType, input: Int, role: QuantParamLayout.Role, geometry g: MatMulGeometry,
              name: String) throws(OpError) {
            guard let t else { return nil }
            guard t.dataType == expected else { throw OpError.type(input, t.dataType) }
            layout = try QuantParamLayout(shape: t.shape, count: t.count, role: role, geometry: g, name: name)
            do { values = try Tensor(allocating: .int32, shape: [max(t.count, 1)]) } catch { throw OpError(error) }
            let dst = values.elements(Int32.self)
            if expected == .int8 {
                let src = t.elements(Int8.self)
                for i in 0..<t.count { dst[i] = Int32(src[i]) }
            } else {
                let src = t.elements(UInt8.self)
                for i in 0..<t.count { dst[i] = Int32(src[i]) }
            }
        }

        func pointer(_ batch: Int, _ g: MatMulGeometry) -> UnsafePointer<Int32> {
            UnsafePointer(values.elements(Int32.self) + layout.offset(batch, g))
        }
    }

    /// `c` (batchCount·m·n int32, contiguous) = Σ (A − za)(B − zb) per batch. `packed` (a 2-D B
    /// packed at plan time) replaces `b` when given; otherwise B is packed here, once per distinct matrix.
    static func run(_ g: MatMulGeometry, a: Tensor, b: Tensor?, packed: PackedInt8Matrix?,
                    aZero: ZeroPoint?, bZero: ZeroPoint?, c: UnsafeMutablePointer<Int32>) throws(OpError) {
        let aSigned = a.dataType == .int8
        let tier = CPUTier.active
        defer { withExtendedLifetime((aZero, bZero)) {} }
        let aBase = UnsafeRawPointer(a.data)
        let zeroPointsShared = aZero.map { $0.layout.stride == 0 && $0.layout.isShared } ?? true
            && (bZero.map { $0.layout.isShared } ?? true)
        var shared = packed
        if shared == nil, g.foldsBatchIntoRows, zeroPointsShared { shared = try pack(b, g, batch: 0) }
        if g.foldsBatchIntoRows, zeroPointsShared, let matrix = shared {
            guard QGemm.gemm(tier: tier, aSigned: aSigned, m: g.batchCount * g.m, a: aBase, lda: g.k,
                             aZeroPoints: aZero?.pointer(0, g), aZeroPointStride: 0, b: matrix,
                             bZeroPoints: bZero?.pointer(0, g), bZeroPointStride: bZero?.layout.stride ?? 0,
                             c: c, ldc: g.n)
            else { throw OpError.outOfMemory }
            return
        }
        var current = packed
        var currentOffset = packed == nil ? -1 : 0
        for batch in 0..<g.batchCount {
            let bOff = g.bOffset(batch)
            if packed == nil, bOff != currentOffset {
                current = try pack(b, g, batch: batch)
                currentOffset = bOff
            }
            guard let matrix = current else { throw OpError(.missingInput(index: 1)) }
            guard QGemm.gemm(tier: tier, aSigned: aSigned, m: g.m, a: aBase + g.aOffset(batch), lda: g.k,
                             aZeroPoints: aZero?.pointer(batch, g), aZeroPointStride: aZero?.layout.stride ?? 0,
                             b: matrix, bZeroPoints: bZero?.pointer(batch, g),
                             bZeroPointStride: bZero?.layout.stride ?? 0, c: c + batch * g.m * g.n, ldc: g.n)
            else { throw OpError.outOfMemory }
        }
    }

    /// The weight case without batch geometry: A of rank >= 2, B 2-D, zero points absent or one
    /// value each (b_zero_point may also be `[n]`). Allocates and sets output 0 (int32) and returns
    /// true; returns false, doing nothing, for any other form.
    static func runRows(_ a: Tensor, _ b: Tensor?, _ packed: PackedInt8Matrix?, _ bShape: [Int],
                        aZero: Tensor?, bZero: Tensor?, _ io: inout OpIO) throws(OpError) -> Bool {
        guard a.rank >= 2, bShape.count == 2, a.shape[a.rank - 1] == bShape[0] else { return false }
        let k = bShape[0], n = bShape[1]
        let bType = b?.dataType ?? ((packed?.isSigned ?? false) ? DataType.int8 : .uint8)
        guard aZero.map({ $0.count == 1 && $0.dataType == a.dataType }) ?? true,
              bZero.map({ ($0.count == 1 || ($0.rank == 1 && $0.count == n)) && $0.dataType == bType }) ?? true
        else { return false }
        var outShape = a.shape
        outShape[outShape.count - 1] = n
        let y = try io.allocate(.int32, outShape)
        io.setOutput(0, y)
        if y.count == 0 { return true }
        var matrix = packed
        if matrix == nil {
            guard let b, let p = PackedInt8Matrix(signed: b.dataType == .int8, k: k, n: n, b: UnsafeRawPointer(b.data), ldb: n)
            else { throw b == nil ? OpError(.missingInput(index: 1)) : OpError.outOfMemory }
            matrix = p
        }
        guard let matrix else { return true }
        var za: Int32 = 0
        if let t = aZero { za = a.dataType == .int8 ? Int32(t.elements(Int8.self)[0]) : Int32(t.elements(UInt8.self)[0]) }
        var zb: Tensor? = nil
        if let t = bZero {
            let out: Tensor
            do { out = try Tensor(allocating: .int32, shape: [t.count]) } catch { throw OpError(error) }
            let dst = out.elements(Int32.self)
            if t.dataType == .int8 {
                for j in 0..<t.count { dst[j] = Int32(t.elements(Int8.self)[j]) }
            } else {
                for j in 0..<t.count { dst[j] = Int32(t.elements(UInt8.self)[j]) }
            }
            zb = out
        }
        defer { withExtendedLifetime(zb) {} }
        let zbPointer: UnsafePointer<Int32>? = zb.map { UnsafePointer($0.elements(Int32.self)) }
        let zbStride = (zb?.count ?? 1) > 1 ? 1 : 0
        let hasAZero = aZero != nil
        let ok = withUnsafePointer(to: &za) { (zap: UnsafePointer<Int32>) -> Bool in
            QGemm.gemm(aSigned: a.dataType == .int8, m: y.count / n, a: UnsafeRawPointer(a.data), lda: k,
                       aZeroPoints: hasAZero ? zap : nil, aZeroPointStride: 0, b: matrix,
                       bZeroPoints: zbPointer, bZeroPointStride: zbStride, c: y.elements(Int32.self), ldc: n)
        }
        guard ok else { throw OpError.outOfMemory }
        return true
    }

    /// Packs the B matrix of `batch` (nil B gives nil).
    static func pack(_ b: Tensor?, _ g: MatMulGeometry, batch: Int) throws(OpError) -> PackedInt8Matrix? {
        guard let b else { return nil }
        guard let p = PackedInt8Matrix(signed: b.dataType == .int8, k: g.k, n: g.n,
                                       b: UnsafeRawPointer(b.data) + g.bOffset(batch), ldb: g.n)
        else { throw OpError.outOfMemory }
        return p
    }

    /// Packs a constant 2-D int8/uint8 B (plan time); nil for other inputs.
    static func prepack(_ b: Tensor) throws(OpError) -> PrepackedB? {
        guard isInt8(b.dataType), b.rank == 2 else { return nil }
        guard let p = PackedInt8Matrix(signed: b.dataType == .int8, k: b.shape[0], n: b.shape[1],
                                       b: UnsafeRawPointer(b.data), ldb: b.shape[1])
        else { throw OpError.outOfMemory }
        return PrepackedB(.int8(p), sourceShape: b.shape)
    }
}

import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// int8 GEMM with int32 output, exact on every tier (equal to the scalar reference mod 2^32):
/// `C[i,j] = Σ_p (A[i,p] − za[i]) · (B[p,j] − zb[j])`.
///
/// A is m×k bytes (row-major, `lda`), uint8 or int8; B is k×n, uint8 or int8, usually prepacked
/// as a `PackedInt8Matrix`. Zero points are Int32 values in the operand's own range, given per
/// tensor (stride 0), per row of A / per column of B (stride 1), or nil for zero.
/// Large products run on the shared `KernelThreads` pool.
public enum QGemm {
    /// `C` from A and a packed B. Returns false when a small scratch buffer could not be allocated.
    @discardableResult
    public static func gemm(tier: CPUTier = .active, aSigned: Bool, m: Int,
                            a: UnsafeRawPointer, lda: Int,
                            aZeroPoints: UnsafePointer<Int32>? = nil, aZeroPointStride: Int = 0,
                            b: PackedInt8Matrix,
                            bZeroPoints: UnsafePointer<Int32>? = nil, bZeroPointStride: Int = 0,
                            c: UnsafeMutablePointer<Int32>, ldc: Int) -> Bool {
        ck_qgemm_packed(tier.ck, aSigned ? 1 : 0, m, b.n, b.k, a, lda, aZeroPoints, aZeroPointStride,
                        b.data, b.columnSums, b.isSigned ? 1 : 0, bZeroPoints, bZeroPointStride, c, ldc) == 0
    }

    /// The fused float form: `y[i,j] = Float(C[i,j]) · (aScale · bScale[j·bScaleStride]) + bias[j]`,
    /// with C as in `gemm`; the scale product, the product and the sum each rounded to Float (no
    /// fused multiply-add), so every tier equals `referenceFloat` bit for bit. `bScaleStride` is 0
    /// (per tensor) or 1 (per column); `bias` is n floats or nil. Returns false when a scratch
    /// buffer could not be allocated.
    @discardableResult
    public static func gemmFloat(tier: CPUTier = .active, aSigned: Bool, m: Int,
                                 a: UnsafeRawPointer, lda: Int,
                                 aZeroPoints: UnsafePointer<Int32>? = nil, aZeroPointStride: Int = 0,
                                 b: PackedInt8Matrix,
                                 bZeroPoints: UnsafePointer<Int32>? = nil, bZeroPointStride: Int = 0,
                                 aScale: Float = 1, bScale: UnsafePointer<Float>, bScaleStride: Int,
                                 bias: UnsafePointer<Float>? = nil,
                                 y: UnsafeMutablePointer<Float>, ldy: Int) -> Bool {
        ck_qgemm_packed_f32(tier.ck, aSigned ? 1 : 0, m, b.n, b.k, a, lda, aZeroPoints, aZeroPointStride,
                            b.data, b.columnSums, b.isSigned ? 1 : 0, bZeroPoints, bZeroPointStride,
                            aScale, bScale, bScaleStride, bias, y, ldy) == 0
    }

    /// The scalar reference of `gemmFloat` on an unpacked B (k×n, row-major, `ldb`).
    public static func referenceFloat(aSigned: Bool, bSigned: Bool, m: Int, n: Int, k: Int,
                                      a: UnsafeRawPointer, lda: Int,
                                      aZeroPoints: UnsafePointer<Int32>? = nil, aZeroPointStride: Int = 0,
                                      b: UnsafeRawPointer, ldb: Int,
                                      bZeroPoints: UnsafePointer<Int32>? = nil, bZeroPointStride: Int = 0,
                                      aScale: Float = 1, bScale: UnsafePointer<Float>, bScaleStride: Int,
                                      bias: UnsafePointer<Float>? = nil,
                                      y: UnsafeMutablePointer<Float>, ldy: Int) {
        ck_qgemm_ref_f32(aSigned ? 1 : 0, bSigned ? 1 : 0, m, n, k, a, lda, aZeroPoints, aZeroPointStride,
                         b, ldb, bZeroPoints, bZeroPointStride, aScale, bScale, bScaleStride, bias, y, ldy)
    }

    /// The scalar reference on an unpacked B (k×n, row-major, `ldb`).
    public static func reference(aSigned: Bool, bSigned: Bool, m: Int, n: Int, k: Int,
                                 a: UnsafeRawPointer, lda: Int,
                                 aZeroPoints: UnsafePointer<Int32>? = nil, aZeroPointStride: Int = 0,
                                 b: UnsafeRawPointer, ldb: Int,
                                 bZeroPoints: UnsafePointer<Int32>? = nil, bZeroPointStride: Int = 0,
                                 c: UnsafeMutablePointer<Int32>, ldc: Int) {
        ck_qgemm_ref(aSigned ? 1 : 0, bSigned ? 1 : 0, m, n, k, a, lda, aZeroPoints, aZeroPointStride,
                     b, ldb, bZeroPoints, bZeroPointStride, c, ldc)
    }

    /// QLinearMatMul's output stage: `y = saturate(rint(c · (aScale·bScale / yScale) + yZeroPoint))`,
    /// the multiplier in float, the product and round-half-even in double. Scales are per tensor
    /// (stride 0) or per row / per column (stride 1); y is uint8 or int8 (`ySigned`).
    public static func requantize(m: Int, n: Int, c: UnsafePointer<Int32>, ldc: Int,
                                  aScale: UnsafePointer<Float>, aScaleStride: Int,
                                  bScale: UnsafePointer<Float>, bScaleStride: Int,
                                  yScale: Float, yZeroPoint: Int32, ySigned: Bool,
                                  y: UnsafeMutableRawPointer, ldy: Int) {
        ck_qgemm_requantize(m, n, c, ldc, aScale, aScaleStride, bScale, bScaleStride, yScale, yZeroPoint,
                            ySigned ? 1 : 0, y, ldy)
    }
}

/// A k×n int8/uint8 matrix packed once into the int8 GEMM layout (uint8 stored offset to int8),
/// with its column sums for the zero-point correction. Owns its memory; immutable after init.
public final class PackedInt8Matrix: @unchecked Sendable {
    public let k: Int
    public let n: Int
    /// Whether the source elements were int8 (else uint8).
    public let isSigned: Bool
    let data: UnsafeMutablePointer<Int8>
    let columnSums: UnsafeMutablePointer<Int32>

    /// Packs B (k×n bytes, row-major, `ldb`). Nil when the dims are negative or memory is short.
    public init?(signed: Bool, k: Int, n: Int, b: UnsafeRawPointer, ldb: Int) {
        // The padded size is below 8·(k + 4)·(n + 16) elements; refuse sizes where that overflows.
        guard k >= 0, n >= 0, k < Int.max / 2, n < Int.max / 2 else { return nil }
        let padded = (k + 4).multipliedReportingOverflow(by: n + 16)
        guard !padded.overflow, padded.partialValue < Int.max / 64 else { return nil }
        let bytes = ck_qgemm_packed_b_bytes(k, n)
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, max(bytes, 64)) == 0, let raw else { return nil }
        var sums: UnsafeMutableRawPointer?
        guard posix_memalign(&sums, 64, max(n * 4, 64)) == 0, let sums else {
            free(raw)
            return nil
        }
        self.k = k
        self.n = n
        self.isSigned = signed
        self.data = raw.bindMemory(to: Int8.self, capacity: bytes)
        self.columnSums = sums.bindMemory(to: Int32.self, capacity: max(n, 1))
        ck_qgemm_pack_b(signed ? 1 : 0, k, n, b, ldb, data, columnSums)
    }

    deinit {
        free(data)
        free(columnSums)
    }
}

import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// fp32 GEMM on raw row-major pointers: `C[m×n] = alpha·op(A)·op(B) + beta·C + bias`.
///
/// `op(A)` is m×k (`A[i*lda + p]`, or `A[p*lda + i]` when `transA`); `op(B)` is k×n (`B[p*ldb + j]`,
/// or `B[j*ldb + p]` when `transB`); `bias` is n floats added to every row. When `beta == 0`, C is
/// not read. Tiers differ from the scalar reference only in summation order.
public enum SGemm {
    /// Runs on `tier` (default: the active tier), packing B on the fly, except a one-row product
    /// (m == 1, no transposes, alpha 1, beta 0 or 1, no bias), which reads B in place with ONNX
    /// Runtime's M == 1 roundings (`ck_sgemm_m1`). Returns false when the packing buffer could not
    /// be allocated.
    @discardableResult
    public static func sgemm(tier: CPUTier = .active, transA: Bool = false, transB: Bool = false,
                             m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
                             bias: UnsafePointer<Float>? = nil) -> Bool {
        ck_sgemm(tier.ck, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias) == 0
    }

    /// Same contract with B prepacked (`packed.k == k`, `packed.n == n`).
    public static func sgemm(tier: CPUTier = .active, transA: Bool = false, m: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, packed: PackedFloatMatrix,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
                             bias: UnsafePointer<Float>? = nil) {
        ck_sgemm_packed(tier.ck, transA ? 1 : 0, m, packed.n, packed.k, alpha, a, lda,
                        packed.data, beta, c, ldc, bias)
    }

    /// `count` independent products: item `i` is exactly `sgemm(tier:transA:transB:m:n:k:alpha:a:
    /// a + aOffsets[i], lda:b: b + bOffsets[i], ldb:beta:c: c + i·cStride, ldc:)` (same bits), the
    /// items spread over the thread pool when each is small and all together are large enough.
    /// Offsets are in elements; output items must not overlap. Returns false when a packing buffer
    /// could not be allocated (C then unspecified).
    public static func sgemmBatch(tier: CPUTier = .active, count: Int, transA: Bool = false, transB: Bool = false,
                                  m: Int, n: Int, k: Int, alpha: Float = 1,
                                  a: UnsafePointer<Float>, aOffsets: UnsafePointer<Int>, lda: Int,
                                  b: UnsafePointer<Float>, bOffsets: UnsafePointer<Int>, ldb: Int,
                                  beta: Float = 0, c: UnsafeMutablePointer<Float>, cStride: Int, ldc: Int) -> Bool {
        ck_sgemm_batch(tier.ck, count, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, aOffsets, lda,
                       b, bOffsets, ldb, beta, c, cStride, ldc) == 0
    }

    /// The scalar reference (triple loop, float accumulation in k order).
    public static func sgemmReference(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                                      alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                                      b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                                      c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil) {
        ck_sgemm_ref(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias)
    }
}

/// A k×n fp32 matrix packed once into the GEMM kernels' layout (the same for every tier).
/// Owns its memory; immutable after init, so it may be shared across threads.
public final class PackedFloatMatrix: @unchecked Sendable {
    public let k: Int
    public let n: Int
    let data: UnsafeMutablePointer<Float>

    /// Packs `op(B)` (k×n): `B[p*ldb + j]`, or `B[j*ldb + p]` when `transB`. Nil when the dims are
    /// negative or the buffer cannot be allocated.
    public init?(transB: Bool = false, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int) {
        // The padded size is below 8·(k + 4)·(n + 16) elements; refuse sizes where that overflows.
        guard k >= 0, n >= 0, k < Int.max / 2, n < Int.max / 2 else { return nil }
        let padded = (k + 4).multipliedReportingOverflow(by: n + 16)
        guard !padded.overflow, padded.partialValue < Int.max / 64 else { return nil }
        let count = ck_sgemm_packed_b_count(k, n)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        var raw: UnsafeMutableRawPointer?
        guard !overflow, posix_memalign(&raw, 64, max(bytes, 64)) == 0, let raw else { return nil }
        self.k = k
        self.n = n
        self.data = raw.bindMemory(to: Float.self, capacity: count)
        ck_sgemm_pack_b(transB ? 1 : 0, k, n, b, ldb, data)
    }

    deinit { free(data) }
}

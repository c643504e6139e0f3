import CKernels
import Kernels
import Testing

/// `SGemm.sgemmBatch` equals one `SGemm.sgemm` call per item bit for bit, on 1 and 2 threads,
/// with non-uniform (broadcast, padded) offsets.
@Suite struct SGemmBatchTests {
    @Test(arguments: [false, true])
    func batchEqualsPerItemCalls(transB: Bool) {
        var rng = SplitMix(transB ? 91 : 19)
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        // (count, m, n, k, alpha): attention-like 1×T×64 items (large batch: split over threads), a
        // small batch (runs on the caller), several rows, and alpha ≠ 1.
        let cases: [(Int, Int, Int, Int, Float)] = [(512, 1, 37, 64, 0.125), (512, 1, 64, 37, 1), (3, 1, 5, 7, 1),
                                                    (40, 5, 33, 64, 0.5), (96, 1, 64, 256, 1)]
        for (count, m, n, k, alpha) in cases {
            let lda = k, ldb = transB ? k : n
            let aPitch = m * k + 3, bPitch = k * n + 16
            // A broadcast over pairs of items (offsets non-uniform), B padded per item.
            let aOffsets = (0..<count).map { ($0 / 2) * aPitch }
            let bOffsets = (0..<count).map { $0 * bPitch }
            let a = (0..<(((count + 1) / 2) * aPitch)).map { _ in Float.random(in: -1...1, using: &rng) }
            let b = (0..<(count * bPitch)).map { _ in Float.random(in: -1...1, using: &rng) }
            var want = [Float](repeating: 0, count: count * m * n)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    want.withUnsafeMutableBufferPointer { cp in
                        for i in 0..<count {
                            _ = SGemm.sgemm(transB: transB, m: m, n: n, k: k, alpha: alpha, a: ap.baseAddress! + aOffsets[i], lda: lda,
                                            b: bp.baseAddress! + bOffsets[i], ldb: ldb, c: cp.baseAddress! + i * m * n, ldc: n)
                        }
                    }
                }
            }
            for threads in [1, 2] {
                KernelThreads.count = threads
                var got = [Float](repeating: .nan, count: count * m * n)
                let ok = a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        got.withUnsafeMutableBufferPointer { cp in
                            SGemm.sgemmBatch(count: count, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                             a: ap.baseAddress!, aOffsets: aOffsets, lda: lda, b: bp.baseAddress!, bOffsets: bOffsets,
                                             ldb: ldb, c: cp.baseAddress!, cStride: m * n, ldc: n)
                        }
                    }
                }
                #expect(ok)
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "threads \(threads) count \(count) m \(m) n \(n) k \(k)")
            }
        }
    }
}

import CKernels
@testable import Kernels
import Testing

/// The fused int8 → float epilogue and the threaded split: every runnable tier must equal the
/// scalar references bit for bit (int32 exactly; float as the same rounded mul-then-add).
@Suite(.serialized) struct QGemmFusedTests {
    /// Shapes crossing the 6-row and 16/64-column tiles, the k tails and the thread split.
    static let dims: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 17, 3), (5, 63, 5), (6, 64, 64), (7, 65, 67), (13, 130, 260), (12, 200, 288),
        (2, 9404, 9), (40, 16, 3328), (1, 700, 515), (31, 129, 33),
    ]

    static func operands(m: Int, n: Int, k: Int, lda: Int, ldb: Int, rng: inout SplitMix) -> ([UInt8], [UInt8]) {
        ((0..<(m * lda)).map { _ in UInt8.random(in: 0...255, using: &rng) },
         (0..<(k * ldb)).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    @Test(arguments: QGemmTests.int8Tiers, [false, true])
    func floatEpilogueMatchesReference(tier: CPUTier, perColumnScale: Bool) {
        var rng = SplitMix(UInt64(31 + tier.rawValue * 2 + (perColumnScale ? 1 : 0)))
        for (index, (m, n, k)) in Self.dims.enumerated() {
            let aSigned = index % 2 == 1, bSigned = index % 3 != 1
            let lda = k + index % 3, ldb = n + 1, ldy = n + 2
            let (a, b) = Self.operands(m: m, n: n, k: k, lda: lda, ldb: ldb, rng: &rng)
            let aZP: [Int32] = [aSigned ? Int32.random(in: -128...127, using: &rng) : Int32.random(in: 0...255, using: &rng)]
            let bZP: [Int32] = (0..<n).map { _ in bSigned ? Int32.random(in: -128...127, using: &rng) : Int32.random(in: 0...255, using: &rng) }
            let scales: [Float] = (0..<(perColumnScale ? n : 1)).map { _ in Float.random(in: 1e-4...1e-2, using: &rng) }
            let bias: [Float]? = index % 2 == 0 ? (0..<n).map { _ in Float.random(in: -1...1, using: &rng) } : nil
            let aScale = Float.random(in: 0.01...0.1, using: &rng)
            let bStride = index % 4 == 0 ? 0 : 1
            var got = [Float](repeating: .nan, count: m * ldy), want = got
            let packed = b.withUnsafeBytes { PackedInt8Matrix(signed: bSigned, k: k, n: n, b: $0.baseAddress!, ldb: ldb)! }
            bias.withOptionalPointer { bp in
                a.withUnsafeBytes { ap in
                    b.withUnsafeBytes { bb in
                        _ = QGemm.gemmFloat(tier: tier, aSigned: aSigned, m: m,
                                            a: ap.baseAddress!, lda: lda, aZeroPoints: aZP, aZeroPointStride: 0,
                                            b: packed, bZeroPoints: bZP, bZeroPointStride: bStride,
                                            aScale: aScale, bScale: scales, bScaleStride: perColumnScale ? 1 : 0,
                                            bias: bp, y: &got, ldy: ldy)
                        QGemm.referenceFloat(aSigned: aSigned, bSigned: bSigned, m: m, n: n, k: k, a: ap.baseAddress!,
                                             lda: lda, aZeroPoints: aZP, b: bb.baseAddress!, ldb: ldb,
                                             bZeroPoints: bZP, bZeroPointStride: bStride, aScale: aScale,
                                             bScale: scales, bScaleStride: perColumnScale ? 1 : 0, bias: bp,
                                             y: &want, ldy: ldy)
                    }
                }
            }
            var same = true
            for i in 0..<m { for j in 0..<n where got[i * ldy + j].bitPattern != want[i * ldy + j].bitPattern { same = false } }
            #expect(same, "tier \(tier) m \(m) n \(n) k \(k) perColumn \(perColumnScale)")
            if !same { return }
        }
    }

    /// Hand-derived: A = [[1, 2, 3, 4, 5]] (u8, zero point 1), B = 5×2 of 2s and −1s (s8), scale
    /// 0.5 × [1, 2], bias [0.25, −1]: C = [Σ(0…4)·2, Σ(0…4)·(−1)] = [20, −10] →
    /// y = [20·0.5 + 0.25, −10·1 − 1] = [10.25, −11].
    @Test(arguments: CPUTier.supported)
    func handDerivedFloat(tier: CPUTier) {
        let a: [UInt8] = [1, 2, 3, 4, 5]
        let b: [Int8] = [2, -1, 2, -1, 2, -1, 2, -1, 2, -1]
        let packed = b.withUnsafeBytes { PackedInt8Matrix(signed: true, k: 5, n: 2, b: $0.baseAddress!, ldb: 2)! }
        var y: [Float] = [0, 0]
        let zp: [Int32] = [1], scale: [Float] = [1, 2], bias: [Float] = [0.25, -1]
        a.withUnsafeBytes { ap in
            _ = QGemm.gemmFloat(tier: tier, aSigned: false, m: 1, a: ap.baseAddress!, lda: 5, aZeroPoints: zp, b: packed,
                                aScale: 0.5, bScale: scale, bScaleStride: 1, bias: bias, y: &y, ldy: 2)
        }
        #expect(y == [10.25, -11])
    }

    /// Products large enough to be split over threads give the same int32 result on 1 and 2
    /// threads, equal to the reference.
    @Test(arguments: QGemmTests.int8Tiers)
    func threadedSplitIsExact(tier: CPUTier) {
        var rng = SplitMix(UInt64(77 + tier.rawValue))
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        // Panel split (n wide), row split (n narrow), a ragged tail in both, and 1–6 rows (B streamed
        // in contiguous panel ranges per thread, a partial last panel); uint8 and int8 A.
        let dims = [(8, 2048 + 16 + 5, 260), (300, 40, 515), (61, 700, 288), (9, 1500, 259), (1, 8192 + 37, 259),
                    (1, 4096 + 64, 515), (4, 2048 + 37, 259), (6, 1024 + 64 + 3, 333)]
        for (index, (m, n, k)) in dims.enumerated() {
            let aSigned = index % 2 == 1
            let (a, b) = Self.operands(m: m, n: n, k: k, lda: k, ldb: n, rng: &rng)
            let aZP: [Int32] = (0..<m).map { _ in aSigned ? Int32.random(in: -128...127, using: &rng) : Int32.random(in: 0...255, using: &rng) }
            let bZP: [Int32] = (0..<n).map { _ in Int32.random(in: -128...127, using: &rng) }
            let packed = b.withUnsafeBytes { PackedInt8Matrix(signed: true, k: k, n: n, b: $0.baseAddress!, ldb: n)! }
            var results: [[Int32]] = []
            for threads in [1, 2] {
                KernelThreads.count = threads
                var c = [Int32](repeating: 0x5A5A, count: m * n)
                a.withUnsafeBytes { ap in
                    _ = QGemm.gemm(tier: tier, aSigned: aSigned, m: m, a: ap.baseAddress!, lda: k,
                                   aZeroPoints: aZP, aZeroPointStride: 1, b: packed, bZeroPoints: bZP, bZeroPointStride: 1, c: &c, ldc: n)
                }
                results.append(c)
            }
            var want = [Int32](repeating: 0, count: m * n)
            a.withUnsafeBytes { ap in
                b.withUnsafeBytes { bp in
                    QGemm.reference(aSigned: aSigned, bSigned: true, m: m, n: n, k: k, a: ap.baseAddress!, lda: k,
                                    aZeroPoints: aZP, aZeroPointStride: 1, b: bp.baseAddress!, ldb: n, bZeroPoints: bZP, bZeroPointStride: 1,
                                    c: &want, ldc: n)
                }
            }
            #expect(results[0] == want, "1 thread, tier \(tier) m \(m) n \(n) k \(k)")
            #expect(results[1] == want, "2 threads, tier \(tier) m \(m) n \(n) k \(k)")
        }
    }
}

@Suite(.serialized) struct KernelThreadsTests {
    @Test func parallelForRunsEveryTaskOnce() {
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        for threads in [1, 2, 4] {
            KernelThreads.count = threads
            let counts = UnsafeMutablePointer<Int>.allocate(capacity: 1000)
            counts.initialize(repeating: 0, count: 1000)
            defer { counts.deallocate() }
            for round in 0..<50 {
                let tasks = 1 + round * 19 % 1000
                // Each task writes only its own slot, so no synchronization is needed.
                KernelThreads.parallelFor(tasks: tasks, threads: threads) { counts[$0] += 1 }
                for t in 0..<tasks where counts[t] != 1 { Issue.record("threads \(threads) task \(t) ran \(counts[t])×") }
                for t in 0..<tasks { counts[t] = 0 }
            }
        }
    }

    @Test func countSetAndDefault() {
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        KernelThreads.count = 3
        #expect(KernelThreads.count == 3)
        KernelThreads.count = 0
        #expect(KernelThreads.count == KernelThreads.availableCores)
        #expect(KernelThreads.availableCores >= 1)
    }

    @Test func reportNamesFeaturesAndKernels() {
        #expect(CPUReport.kernels().count == 2)
        #expect(CPUReport.kernels(tier: .scalar).allSatisfy { $0.kernel.contains("scalar") })
        if CPUTier.supported.contains(.avx2) { #expect(CPUReport.features.contains("avx2")) }
    }
}

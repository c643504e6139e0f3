import Kernels
import Testing

/// fp32 GEMM against a double-precision reference. Tolerance per element:
/// |c − ref| ≤ 2·(k + 2)·2^−23·(Σ_p |α·a·b| + |β·c₀| + |bias|) + 1e-30.
@Suite struct GemmTests {
    static let dims: [(Int, Int, Int)] = {
        var out: [(Int, Int, Int)] = []
        for m in [1, 4, 6, 7, 12, 13, 25] {
            for n in [1, 15, 16, 17, 33] {
                for k in [1, 3, 255, 257, 300] { out.append((m, n, k)) }
            }
        }
        out.append((130, 20, 40))  // crosses the 120/126/128-row A block
        out.append((3, 1030, 5))   // crosses the 1024-column B block
        // Panel groups of 2–8 panels (16 columns each) for 1–4 rows, clipped at n and at the B block.
        for (m, n) in [(1, 1100), (2, 1030), (1, 130), (2, 100), (3, 70), (5, 200), (9, 50)] { out.append((m, n, 9)) }
        out.append((2, 97, 300))
        return out
    }()

    static func check(tier: CPUTier?, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float,
                      bias: Bool, prepacked: Bool, rng: inout SplitMix) -> Bool {
        let lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1
        let a = (0..<((transA ? k : m) * lda)).map { _ in Float.random(in: -1...1, using: &rng) }
        let b = (0..<((transB ? n : k) * ldb)).map { _ in Float.random(in: -1...1, using: &rng) }
        let c0 = (0..<(m * ldc)).map { _ in Float.random(in: -1...1, using: &rng) }
        let biasv = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
        var c = beta == 0 ? [Float](repeating: .nan, count: m * ldc) : c0
        let biasArg: [Float]? = bias ? biasv : nil
        biasArg.withOptionalPointer { bp in
            if let tier {
                if prepacked {
                    let packed = PackedFloatMatrix(transB: transB, k: k, n: n, b: b, ldb: ldb)!
                    SGemm.sgemm(tier: tier, transA: transA, m: m, alpha: alpha, a: a, lda: lda, packed: packed,
                               beta: beta, c: &c, ldc: ldc, bias: bp)
                } else {
                    SGemm.sgemm(tier: tier, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                               a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc, bias: bp)
                }
            } else {
                SGemm.sgemmReference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                                    b: b, ldb: ldb, beta: beta, c: &c, ldc: ldc, bias: bp)
            }
        }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, mag = 0.0
                for p in 0..<k {
                    let av = Double(transA ? a[p * lda + i] : a[i * lda + p])
                    let bv = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += av * bv
                    mag += abs(av * bv)
                }
                var want = Double(alpha) * sum
                mag = abs(Double(alpha)) * mag
                if beta != 0 { want += Double(beta) * Double(c0[i * ldc + j]); mag += abs(Double(beta) * Double(c0[i * ldc + j])) }
                if bias { want += Double(biasv[j]); mag += abs(Double(biasv[j])) }
                let tol = 2 * Double(k + 2) * 0x1p-23 * mag + 1e-30
                if !(abs(Double(c[i * ldc + j]) - want) <= tol) { return false }
            }
        }
        return true
    }

    static let flagSets: [(Bool, Bool, Float, Float, Bool)] = [
        (false, false, 1, 0, false), (true, false, 0.5, 1, true), (false, true, -1, 0.25, false),
        (true, true, 2, 0, true),
    ]

    @Test(arguments: CPUTier.supported, [false, true])
    func sweepMatchesDoubleReference(tier: CPUTier, prepacked: Bool) {
        var rng = SplitMix(UInt64(tier.rawValue + 1))
        for (index, (m, n, k)) in Self.dims.enumerated() {
            let (ta, tb, alpha, beta, bias) = Self.flagSets[index % Self.flagSets.count]
            let ok = Self.check(tier: tier, transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, beta: beta,
                                bias: bias, prepacked: prepacked, rng: &rng)
            #expect(ok, "tier \(tier) m \(m) n \(n) k \(k) transA \(ta) transB \(tb) alpha \(alpha) beta \(beta)")
            if !ok { return }
        }
    }

    @Test func scalarReferenceMatchesDouble() {
        var rng = SplitMix(42)
        for (index, (m, n, k)) in Self.dims.prefix(40).enumerated() {
            let (ta, tb, alpha, beta, bias) = Self.flagSets[index % Self.flagSets.count]
            #expect(Self.check(tier: nil, transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, beta: beta,
                               bias: bias, prepacked: false, rng: &rng))
        }
    }

    /// k = 0: C = beta·C + bias (alpha·0), and beta = 0 never reads C.
    @Test(arguments: CPUTier.supported)
    func emptyK(tier: CPUTier) {
        var c: [Float] = [.nan, .nan, 3, 4]
        let bias: [Float] = [1, 2]
        let a: [Float] = [0], b: [Float] = [0]
        c.withUnsafeMutableBufferPointer { cp in
            SGemm.sgemm(tier: tier, m: 1, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 0, c: cp.baseAddress!, ldc: 2,
                       bias: bias)
            SGemm.sgemm(tier: tier, m: 1, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 2, c: cp.baseAddress! + 2, ldc: 2)
        }
        #expect(c == [1, 2, 6, 8])
    }

    /// Products large enough to be split over threads: 1 and 2 threads give identical results
    /// (each element is summed in the same order), within the tolerance of the double reference.
    @Test(arguments: CPUTier.supported)
    func threadedSplitMatchesSingleThread(tier: CPUTier) {
        var rng = SplitMix(UInt64(500 + tier.rawValue))
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        for (m, n, k, transA) in [(8, 2048 + 21, 300, false), (300, 40, 515, true), (61, 700, 600, false)] {
            let lda = transA ? m : k
            let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
            let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &rng) }
            let bias = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
            var results: [[Float]] = []
            for threads in [1, 2] {
                KernelThreads.count = threads
                var c = [Float](repeating: .nan, count: m * n)
                SGemm.sgemm(tier: tier, transA: transA, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: n,
                            c: &c, ldc: n, bias: bias)
                results.append(c)
            }
            #expect(results[0].map(\.bitPattern) == results[1].map(\.bitPattern), "tier \(tier) m \(m) n \(n) k \(k)")
            var worst = 0.0
            for i in stride(from: 0, to: m, by: 7) {
                for j in stride(from: 0, to: n, by: 5) {
                    var sum = 0.0, mag = 0.0
                    for p in 0..<k {
                        let av = Double(transA ? a[p * lda + i] : a[i * lda + p]), bv = Double(b[p * n + j])
                        sum += av * bv
                        mag += abs(av * bv)
                    }
                    let want = 0.5 * sum + Double(bias[j]), tol = 2 * Double(k + 2) * 0x1p-23 * (0.5 * mag + 1)
                    worst = max(worst, abs(Double(results[1][i * n + j]) - want) / tol)
                }
            }
            #expect(worst <= 1, "tier \(tier) m \(m) n \(n) k \(k): error / tolerance \(worst)")
        }
    }
}

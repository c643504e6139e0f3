import CKernels
import Kernels
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The float32 row kernels of ck_reduce.h at every tier this CPU runs (baseline = the scalar
// reference build, avx2, avx512), against a float64 reference computed here, over sizes that cross
// the kernels' 16-lane blocks. Tolerance: |a - e| <= 1e-6 + 2e-6·|e| (sums in another order,
// exp within 2 ulp).

private let tiers: [CKTier] = CPUTier.allCases.filter { $0 <= CPUTier.detected }.map { CKTier(rawValue: UInt32($0.rawValue)) }
private let sizes = [1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 260]

/// Deterministic values in [-4, 4): a linear congruential sequence.
private func values(_ count: Int, seed: UInt32) -> [Float] {
    var s = seed
    return (0..<count).map { _ in
        s = s &* 1_664_525 &+ 1_013_904_223
        return Float(s >> 8) / Float(1 << 24) * 8 - 4
    }
}

private func close(_ a: Float, _ e: Double) -> Bool {
    e.isNaN ? a.isNaN : abs(Double(a) - e) <= 1e-6 + 2e-6 * abs(e)
}

@Suite struct ReductionKernelTiersTests {
    @Test(arguments: sizes)
    func rowSumsAndMaxima(n: Int) {
        let rows = 3
        let x = values(rows * n, seed: UInt32(n))
        for tier in tiers {
            var sum = [Float](repeating: 0, count: rows), mx = sum, mn = sum
            ck_reduce_sum_rows_f32(tier, x, rows, n, &sum)
            ck_reduce_max_rows_f32(tier, x, rows, n, &mx)
            ck_reduce_min_rows_f32(tier, x, rows, n, &mn)
            for r in 0..<rows {
                let row = x[(r * n)..<((r + 1) * n)]
                #expect(close(sum[r], row.reduce(0.0) { $0 + Double($1) }), "tier \(tier.rawValue) n \(n)")
                #expect(mx[r] == row.max()!, "tier \(tier.rawValue) n \(n)")
                #expect(mn[r] == row.min()!, "tier \(tier.rawValue) n \(n)")
            }
            var colSum = [Float](repeating: 1, count: n), colMax = [Float](repeating: -.infinity, count: n)
            var colMin = [Float](repeating: .infinity, count: n)
            ck_accumulate_sum_cols_f32(tier, x, rows, n, &colSum)
            ck_accumulate_max_cols_f32(tier, x, rows, n, &colMax)
            ck_accumulate_min_cols_f32(tier, x, rows, n, &colMin)
            for j in 0..<n {
                let col = (0..<rows).map { x[$0 * n + j] }
                #expect(close(colSum[j], 1 + col.reduce(0.0) { $0 + Double($1) }))
                #expect(colMax[j] == col.max()!)
                #expect(colMin[j] == col.min()!)
            }
        }
    }

    @Test(arguments: sizes)
    func softmaxRowsAndStrided(n: Int) {
        let outer = 2, inner = n % 3 + 1
        let x = values(outer * n * inner, seed: UInt32(100 + n))
        // Reference along the middle axis.
        var soft = [Double](repeating: 0, count: x.count), logSoft = soft
        for o in 0..<outer {
            for j in 0..<inner {
                let idx = (0..<n).map { (o * n + $0) * inner + j }
                let m = idx.map { Double(x[$0]) }.max()!
                let s = idx.reduce(0.0) { $0 + exp(Double(x[$1]) - m) }
                for i in idx {
                    soft[i] = exp(Double(x[i]) - m) / s
                    logSoft[i] = Double(x[i]) - m - log(s)
                }
            }
        }
        for tier in tiers {
            var y = [Float](repeating: 0, count: x.count), ly = y
            var scratch = [Float](repeating: 0, count: 2 * inner)
            ck_softmax_f32(tier, x, &y, outer, n, inner, &scratch)
            ck_log_softmax_f32(tier, x, &ly, outer, n, inner, &scratch)
            for i in 0..<x.count {
                #expect(close(y[i], soft[i]), "tier \(tier.rawValue) n \(n) inner \(inner) at \(i)")
                #expect(close(ly[i], logSoft[i]), "tier \(tier.rawValue) n \(n) inner \(inner) at \(i)")
            }
        }
    }

    @Test(arguments: sizes)
    func layerNorm(n: Int) {
        let rows = 3
        let x = values(rows * n, seed: UInt32(200 + n))
        let gamma = values(n, seed: 7), beta = values(n, seed: 8)
        let eps: Float = 1e-5
        for tier in tiers {
            var y = [Float](repeating: 0, count: x.count), plain = y
            var mean = [Float](repeating: 0, count: rows), inv = mean
            ck_layer_norm_f32(tier, x, &y, rows, n, gamma, beta, eps, &mean, &inv)
            ck_layer_norm_f32(tier, x, &plain, rows, n, nil, nil, eps, nil, nil)
            for r in 0..<rows {
                let row = (0..<n).map { Double(x[r * n + $0]) }
                let mu = row.reduce(0, +) / Double(n)
                let varc = row.reduce(0.0) { $0 + ($1 - mu) * ($1 - mu) } / Double(n)
                let is_ = 1 / (varc + Double(eps)).squareRoot()
                #expect(close(mean[r], mu) && close(inv[r], is_), "tier \(tier.rawValue) n \(n)")
                for i in 0..<n {
                    let norm = (row[i] - mu) * is_
                    // Normalized values reach ~4; compare with a tolerance scaled to that range.
                    #expect(abs(Double(plain[r * n + i]) - norm) <= 1e-5, "tier \(tier.rawValue) n \(n)")
                    #expect(abs(Double(y[r * n + i]) - (norm * Double(gamma[i]) + Double(beta[i]))) <= 1e-4)
                }
            }
        }
    }

    @Test(arguments: [1, 15, 16, 17, 40])
    func minAndMaxPropagateNaN(n: Int) {
        // One NaN anywhere in a row (a lane, or the tail past the last 16-block) makes it NaN;
        // the empty row gives the identity.
        for tier in tiers {
            for at in [0, n / 2, n - 1] {
                var x = values(n, seed: UInt32(7 * n + at))
                x[at] = .nan
                var mn: [Float] = [0], mx: [Float] = [0]
                ck_reduce_min_rows_f32(tier, x, 1, n, &mn)
                ck_reduce_max_rows_f32(tier, x, 1, n, &mx)
                #expect(mn[0].isNaN && mx[0].isNaN, "tier \(tier.rawValue) n \(n) NaN at \(at)")
                var colMin = [Float](repeating: 0, count: n), colMax = colMin
                ck_accumulate_min_cols_f32(tier, x, 1, n, &colMin)
                ck_accumulate_max_cols_f32(tier, x, 1, n, &colMax)
                #expect(colMin[at].isNaN && colMax[at].isNaN)
                if n > 1 {
                    let k = (at + 1) % n
                    #expect(colMin[k] == min(0, x[k]) && colMax[k] == max(0, x[k]))
                }
            }
            var empty: [Float] = [0, 0]
            ck_reduce_min_rows_f32(tier, [], 2, 0, &empty)
            #expect(empty == [.infinity, .infinity])
        }
    }

    @Test func expClampsAndPropagatesNaN() {
        // exp(-inf) underflows to ~1e-38 (documented), so softmax of [-inf, 0] is [~0, 1].
        for tier in tiers {
            var y = [Float](repeating: 0, count: 3)
            ck_softmax_f32(tier, [-.infinity, 0, .nan], &y, 1, 3, 1, nil)
            #expect(y.allSatisfy { $0.isNaN })
            var z = [Float](repeating: 0, count: 2)
            ck_softmax_f32(tier, [-.infinity, 0], &z, 1, 2, 1, nil)
            #expect(z[0] < 1e-30 && z[1] == 1)
        }
    }
}

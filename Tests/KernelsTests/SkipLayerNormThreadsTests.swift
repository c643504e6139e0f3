import CKernels
import Kernels
import Testing

/// `ck_skip_layer_norm_f32` gives the same bits on 1 and 2 threads (rows split over the pool),
/// written out of place and in place, and its first row equals a one-row call.
@Suite struct SkipLayerNormThreadsTests {
    @Test(arguments: [(64, 512), (3, 8192), (40, 100)])
    func rowSplitIsExact(rows: Int, n: Int) {
        var rng = SplitMix(UInt64(rows * 31 + n))
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        let x = (0..<(rows * n)).map { _ in Float.random(in: -3...3, using: &rng) }
        let skip = (0..<(rows * n)).map { _ in Float.random(in: -3...3, using: &rng) }
        let vec = (0..<(3 * n)).map { _ in Float.random(in: -1...1, using: &rng) }
        func run(threads: Int, inPlace: Bool) -> [UInt32] {
            KernelThreads.count = threads
            var y = inPlace ? x : [Float](repeating: .nan, count: rows * n)
            var sum = [Float](repeating: .nan, count: rows * n)
            var mean = [Float](repeating: .nan, count: rows), invstd = mean
            vec.withUnsafeBufferPointer { v in
                let p = v.baseAddress!
                if inPlace {
                    y.withUnsafeMutableBufferPointer { yp in
                        ck_skip_layer_norm_f32(yp.baseAddress!, skip, n, p, yp.baseAddress!, &sum, rows, n, p + n, p + 2 * n,
                                               1e-5, &mean, &invstd)
                    }
                } else {
                    ck_skip_layer_norm_f32(x, skip, n, p, &y, &sum, rows, n, p + n, p + 2 * n, 1e-5, &mean, &invstd)
                }
            }
            return (y + sum + mean + invstd).map(\.bitPattern)
        }
        let one = run(threads: 1, inPlace: false)
        #expect(run(threads: 2, inPlace: false) == one)
        #expect(run(threads: 2, inPlace: true) == one)
        // Row 0 alone (never split) matches row 0 of the batched call.
        KernelThreads.count = 1
        var y0 = [Float](repeating: .nan, count: n)
        vec.withUnsafeBufferPointer { v in
            let p = v.baseAddress!
            ck_skip_layer_norm_f32(x, skip, n, p, &y0, nil, 1, n, p + n, p + 2 * n, 1e-5, nil, nil)
        }
        #expect(y0.map(\.bitPattern) == Array(one[0..<n]))
    }
}

import CKernels
@testable import Kernels
import Testing

/// int8 GEMM: every runnable tier must equal the scalar reference bit for bit.
@Suite struct QGemmTests {
    /// The int8 tiers to check: every tier this host runs, plus the NEON dot-product tier (on
    /// x86-64 its kernels run over a portable emulation of the intrinsics).
    static let int8Tiers: [CPUTier] = {
        var tiers = CPUTier.supported
        if !tiers.contains(.neonDotProd) { tiers.append(.neonDotProd) }
        return tiers
    }()

    enum ZeroPoints: CaseIterable { case none, perTensor, perRowColumn }

    static let dims: [(Int, Int, Int)] = {
        var out: [(Int, Int, Int)] = []
        for m in [1, 2, 3, 12, 13, 25] {
            for n in [1, 15, 16, 17, 33] {
                for k in [1, 3, 4, 5, 64, 65, 260, 288] { out.append((m, n, k)) }
            }
        }
        // Panel groups of 2–8 panels for 1–4 rows, clipped at n and at the 1024-column B block.
        for (m, n) in [(1, 130), (2, 100), (3, 70), (4, 50), (5, 1100), (1, 1030)] { out.append((m, n, 7)) }
        var rng = SplitMix(7)
        for _ in 0..<8 {
            out.append((Int.random(in: 1...40, using: &rng), Int.random(in: 1...70, using: &rng),
                        Int.random(in: 1...400, using: &rng)))
        }
        return out
    }()

    /// Runs packed `tier` and the reference on the same operands; returns (kernel, reference).
    static func run(tier: CPUTier, aSigned: Bool, bSigned: Bool, m: Int, n: Int, k: Int,
                    a: [UInt8], b: [UInt8], lda: Int, ldb: Int, zp: ZeroPoints,
                    rng: inout SplitMix) -> ([Int32], [Int32]) {
        func zpValue(_ signed: Bool) -> Int32 {
            signed ? Int32.random(in: -128...127, using: &rng) : Int32.random(in: 0...255, using: &rng)
        }
        var aZP: [Int32] = [], bZP: [Int32] = []
        var aStride = 0, bStride = 0
        switch zp {
        case .none: break
        case .perTensor: aZP = [zpValue(aSigned)]; bZP = [zpValue(bSigned)]
        case .perRowColumn:
            aZP = (0..<m).map { _ in zpValue(aSigned) }; bZP = (0..<n).map { _ in zpValue(bSigned) }
            aStride = 1; bStride = 1
        }
        let ldc = n + 3
        var got = [Int32](repeating: 0x5A5A, count: m * ldc)
        var want = got
        a.withUnsafeBytes { ap in
            b.withUnsafeBytes { bp in
                aZP.withUnsafeBufferPointer { az in
                    bZP.withUnsafeBufferPointer { bz in
                        let azp = aZP.isEmpty ? nil : az.baseAddress, bzp = bZP.isEmpty ? nil : bz.baseAddress
                        let packed = PackedInt8Matrix(signed: bSigned, k: k, n: n, b: bp.baseAddress!, ldb: ldb)!
                        got.withUnsafeMutableBufferPointer { c in
                            _ = QGemm.gemm(tier: tier, aSigned: aSigned, m: m,
                                           a: ap.baseAddress!, lda: lda,
                                           aZeroPoints: azp, aZeroPointStride: aStride, b: packed,
                                           bZeroPoints: bzp, bZeroPointStride: bStride, c: c.baseAddress!, ldc: ldc)
                        }
                        want.withUnsafeMutableBufferPointer { c in
                            QGemm.reference(aSigned: aSigned, bSigned: bSigned, m: m, n: n, k: k,
                                            a: ap.baseAddress!, lda: lda, aZeroPoints: azp, aZeroPointStride: aStride,
                                            b: bp.baseAddress!, ldb: ldb, bZeroPoints: bzp, bZeroPointStride: bStride,
                                            c: c.baseAddress!, ldc: ldc)
                        }
                    }
                }
            }
        }
        return (got, want)
    }

    @Test(arguments: int8Tiers, [(false, true), (true, true), (false, false), (true, false)])
    func sweepMatchesReference(tier: CPUTier, signs: (Bool, Bool)) {
        var rng = SplitMix(UInt64(tier.rawValue * 10 + (signs.0 ? 2 : 0) + (signs.1 ? 1 : 0)))
        for (index, (m, n, k)) in Self.dims.enumerated() {
            let lda = k + index % 3, ldb = n + index % 2
            let a = (0..<(m * lda)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let b = (0..<(k * ldb)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let zp = ZeroPoints.allCases[index % 3]
            let (got, want) = Self.run(tier: tier, aSigned: signs.0, bSigned: signs.1, m: m, n: n, k: k,
                                       a: a, b: b, lda: lda, ldb: ldb, zp: zp, rng: &rng)
            #expect(got == want, "tier \(tier) signs \(signs) m \(m) n \(n) k \(k) zp \(zp)")
            if got != want { return }
        }
    }

    /// Extreme operands: products at the edges of the u8×s8 range, where saturating
    /// (vpmaddubsw-style) arithmetic would go wrong.
    @Test(arguments: int8Tiers)
    func extremesAreExact(tier: CPUTier) {
        let cases: [(Bool, UInt8, Bool, UInt8)] = [
            (false, 255, true, 0x80), (false, 255, true, 127), (true, 0x80, true, 0x80),
            (true, 127, true, 0x80), (false, 255, false, 255), (true, 0x80, false, 255), (false, 0, false, 255),
        ]
        var rng = SplitMix(99)
        for (aSigned, av, bSigned, bv) in cases {
            for (m, n, k) in [(1, 1, 1), (13, 17, 260), (3, 33, 288), (25, 16, 1024)] {
                let a = [UInt8](repeating: av, count: m * k), b = [UInt8](repeating: bv, count: k * n)
                for zp in ZeroPoints.allCases {
                    let (got, want) = Self.run(tier: tier, aSigned: aSigned, bSigned: bSigned, m: m, n: n, k: k,
                                               a: a, b: b, lda: k, ldb: n, zp: zp, rng: &rng)
                    #expect(got == want, "tier \(tier) a \(av) b \(bv) m \(m) n \(n) k \(k) zp \(zp)")
                }
            }
        }
        // Hand-derived: u8 255 × s8 −128 over k = 288 with no zero points.
        let a = [UInt8](repeating: 255, count: 288), b = [UInt8](repeating: 0x80, count: 288)
        let (got, _) = Self.run(tier: tier, aSigned: false, bSigned: true, m: 1, n: 1, k: 288,
                                a: a, b: b, lda: 288, ldb: 1, zp: .none, rng: &rng)
        #expect(got[0] == 255 * -128 * 288)
    }

    @Test func requantizeRoundsHalfToEvenAndSaturates() {
        let c: [Int32] = [5, 7, -5, 1000, -1000, 0]
        var y = [UInt8](repeating: 0, count: 6)
        let one: [Float] = [1], half: [Float] = [0.5]
        y.withUnsafeMutableBytes { yp in
            QGemm.requantize(m: 1, n: 6, c: c, ldc: 6, aScale: half, aScaleStride: 0, bScale: one, bScaleStride: 0,
                             yScale: 1, yZeroPoint: 10, ySigned: false, y: yp.baseAddress!, ldy: 6)
        }
        // 2.5+10 → 12, 3.5+10 → 14, −2.5+10 → 8 (half to even), 510 → 255, −490 → 0, 10.
        #expect(y == [12, 14, 8, 255, 0, 10])
        var s = [Int8](repeating: 0, count: 6)
        s.withUnsafeMutableBytes { yp in
            QGemm.requantize(m: 1, n: 6, c: c, ldc: 6, aScale: half, aScaleStride: 0, bScale: one, bScaleStride: 0,
                             yScale: 1, yZeroPoint: 0, ySigned: true, y: yp.baseAddress!, ldy: 6)
        }
        #expect(s == [2, 4, -2, 127, -128, 0])
    }
}

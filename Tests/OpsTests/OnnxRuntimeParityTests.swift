import CKernels
import Kernels
import Testing

/// Kernels whose float results int8 models quantize again (DynamicQuantizeLinear), checked bit
/// for bit against ONNX Runtime 1.32 on an AVX-512 machine (CPU, 1 thread, ORT_DISABLE_ALL), at
/// every tier this CPU runs: the kernels compute the same bits on every tier. The expected bits are
/// printed by scripts/parity/make_kernel_cases.py from inputs of the same linear congruential
/// sequence as `values` below.
@Suite struct OnnxRuntimeParityTests {
    static let tiers: [CKTier] = CPUTier.supported.map(\.ck)

    /// s = s·1664525 + 1013904223 (mod 2^32), then (s >> 8) / 2^24 · width + lo, in float.
    static func values(_ count: Int, seed: UInt32, lo: Float = -4, width: Float = 8) -> [Float] {
        var s = seed
        return (0..<count).map { _ in
            s = s &* 1_664_525 &+ 1_013_904_223
            return Float(s >> 8) / Float(1 << 24) * width + lo
        }
    }

    static func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    @Test func sigmoidMatchesOnnxRuntime() {
        let x = Self.values(48, seed: 1, lo: -20, width: 40)
        let builds: [(UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void] =
            [ck_f32_sigmoid, ck_f32_sigmoid__avx2, ck_f32_sigmoid__avx512]
        let avx512 = CPUTier.supported.contains(.avx512bw) || CPUTier.supported.contains(.avx512VNNI)
        let present = [true, CPUTier.supported.contains(.avx2), avx512]
        for (t, f) in builds.enumerated() where present[t] {
            var y = [Float](repeating: 0, count: x.count)
            f(x, &y, x.count)
            #expect(Self.bits(y) == Expected.sigmoid, "build \(t)")
        }
    }

    @Test func softmaxMatchesOnnxRuntime() {
        for tier in Self.tiers {
            for (rows, n, seed, want) in [(2, 37, UInt32(2), Expected.softmax37), (1, 64, 3, Expected.softmax64)] {
                let x = Self.values(rows * n, seed: seed, lo: -6, width: 12)
                var y = [Float](repeating: 0, count: x.count)
                ck_softmax_f32(tier, x, &y, rows, n, 1, nil)
                #expect(Self.bits(y) == want, "tier \(tier.rawValue) n \(n)")
            }
        }
    }

    @Test func layerNormMatchesOnnxRuntime() {
        var x = Self.values(3 * 64, seed: 4)
        for i in 128..<192 { x[i] = x[i] * 0.01 + 1000 }
        let g = Self.values(64, seed: 5, lo: 0.5, width: 1), b = Self.values(64, seed: 6, lo: -0.5, width: 1)
        for tier in Self.tiers {
            var y = [Float](repeating: 0, count: x.count), mean = [Float](repeating: 0, count: 3), inv = mean
            ck_layer_norm_f32(tier, x, &y, 3, 64, g, b, 1e-5, &mean, &inv)
            #expect(Self.bits(y) == Expected.layerNorm, "tier \(tier.rawValue)")
            #expect(Self.bits(mean) == Expected.layerNormMean && Self.bits(inv) == Expected.layerNormInvStd)
        }
    }

    @Test func oneRowMatMulMatchesOnnxRuntime() {
        let a = Self.values(19, seed: 7), w = Self.values(19 * 21, seed: 8)
        for tier in Self.tiers {
            var y = [Float](repeating: .nan, count: 21)
            #expect(ck_sgemm(tier, 0, 0, 1, 21, 19, 1, a, 19, w, 21, 0, &y, 21, nil) == 0)
            #expect(Self.bits(y) == Expected.matMulRow, "tier \(tier.rawValue)")
            // beta = 1 accumulates every group into C, the first included.
            var acc = [Float](repeating: 0.5, count: 21)
            ck_sgemm_m1(tier, 21, 19, a, w, 21, 1, &acc)
            var ref = [Float](repeating: 0.5, count: 21)
            for j in 0..<21 {
                var p = 0
                while p < 19 {
                    let g = 19 - p >= 4 ? 4 : 19 - p >= 2 ? 2 : 1
                    var t = a[p] * w[p * 21 + j]
                    for q in 1..<g { t = t + a[p + q] * w[(p + q) * 21 + j] }
                    ref[j] = t + ref[j]
                    p += g
                }
            }
            #expect(Self.bits(acc) == Self.bits(ref), "tier \(tier.rawValue)")
        }
    }

    enum Expected {
        static let sigmoid: [UInt32] = [0x37dd0000, 0x3baea240, 0x3f0ad561, 0x3f7fedec, 0x33000000, 0x3bb05d00, 0x3f7ffee6, 0x3f678944, 0x00000000, 0x3f7f072e, 0x38420000, 0x3d2fbe40, 0x3f795f2c, 0x3f7fffe8, 0x37d14000, 0x3f800000, 0x3f7ffff6, 0x3a80b400, 0x3f7fd3f0, 0x3f475bc9, 0x37430000, 0x34000000, 0x00000000, 0x3a3b0400, 0x34c00000, 0x3f7fef8e, 0x3f77075e, 0x3c0222c0, 0x389fe000, 0x3f7ffd22, 0x3f800000, 0x36240000, 0x3aac1f00, 0x3f800000, 0x3c3be700, 0x3f5f523a, 0x3e51f6a2, 0x3f800000, 0x3f7ffffb, 0x3f7ff212, 0x3f800000, 0x3f800000, 0x35880000, 0x3bc4ccc0, 0x3f7fd9c8, 0x35bc0000, 0x3ed8630f, 0x36100000]
        static let softmax37: [UInt32] = [0x38926ccd, 0x3a852740, 0x3824d5e2, 0x3cf52f82, 0x3cb5e0db, 0x378b69be, 0x3849c5ed, 0x3a9a749a, 0x3b11a4b8, 0x3c8e87bc, 0x3c9beb6b, 0x37772e1d, 0x3b72151f, 0x3d5718c4, 0x3a8abec8, 0x3a63c009, 0x36a1a867, 0x398169d2, 0x3f0754db, 0x3a21643e, 0x3e5e5263, 0x3c487b50, 0x3cf1e831, 0x39e7a3ca, 0x38a5d3f4, 0x37cc41e6, 0x38180911, 0x37c5d127, 0x37239ab7, 0x39b1192c, 0x3b061061, 0x3966718f, 0x391788bd, 0x3b9dc479, 0x3d500236, 0x3a979e25, 0x394d1fce, 0x3d029169, 0x3c9c28cf, 0x3d570f14, 0x3be5fcd1, 0x3d690cc1, 0x3c19f275, 0x3dfbd68f, 0x3871e0ed, 0x3751a4f5, 0x3d9c7b35, 0x3dd77495, 0x3d9df973, 0x37dff4a9, 0x3a773346, 0x3d8a7ef0, 0x35f284bf, 0x360a542c, 0x3b50734b, 0x39b055e8, 0x38f54dd6, 0x3b325b11, 0x3b8faefb, 0x3ca17d5a, 0x39df10c8, 0x3e46049d, 0x372d7acc, 0x3c8f4833, 0x36f7f6c9, 0x3b0cce46, 0x3c4ba5a5, 0x3828a2ac, 0x3c978684, 0x3a0a6124, 0x370dc4f9, 0x3dc08a42, 0x361ee9a6, 0x3b60d0b1]
        static let softmax64: [UInt32] = [0x37ce4866, 0x3a8a9eb1, 0x3d50e17a, 0x3c860582, 0x39151ec6, 0x3d3c21b1, 0x3b42e6ca, 0x391e604c, 0x360fe22c, 0x3c471ce7, 0x371f3f3d, 0x3c9ccf4c, 0x3a80946f, 0x3c292eea, 0x3bbc4da4, 0x3da78736, 0x373208a8, 0x38d9c874, 0x382bd809, 0x3868a907, 0x3af4ef17, 0x37bd931e, 0x394f81be, 0x39bfff89, 0x38edd1d1, 0x3ae08854, 0x3c8a4f7d, 0x3da86335, 0x3d68b0d0, 0x3e47eb7b, 0x36aaa911, 0x3a01ed2d, 0x3808d125, 0x377ba05e, 0x375812fe, 0x392845a8, 0x374dcb92, 0x3b46741c, 0x3b948028, 0x35ca05fe, 0x396ed97e, 0x3c475da5, 0x38209720, 0x39fd5e4e, 0x3d855c4f, 0x3726cbd4, 0x38399463, 0x3b7a9cda, 0x37641a96, 0x3ac5177a, 0x3bf9cc85, 0x3c25b648, 0x36329ebb, 0x3ca0d79d, 0x395f04a2, 0x3d19e0ca, 0x3881e139, 0x374570d6, 0x3e0d2d4e, 0x396b2d2f, 0x36a61247, 0x3a4c5e05, 0x370ac6aa, 0x3db9cccf]
        static let layerNorm: [UInt32] = [0xbf5b0b56, 0x3f9e6bac, 0x3f3e3d93, 0x40132de5, 0xbffc4f8b, 0x3e1bd6e0, 0xbf83109d, 0xbf421062, 0x3e85898c, 0x40158343, 0x3ebfb23e, 0x3ed7417b, 0x3e836c2e, 0x3f95abd1, 0x3f867bf5, 0xbf0ab871, 0xbeb24f15, 0xbeb4a633, 0x3ebb0ef9, 0xbdd0c932, 0xbf3a3c14, 0x3fc699ee, 0xbfeaf700, 0x3f0b1f45, 0x3eb926c7, 0xbf911643, 0xbe9938fb, 0x3f0f7f36, 0x3f40be98, 0x3f440dad, 0x3f8d69c7, 0x3fb61de5, 0xbf703015, 0x3f403d81, 0x3f2117e5, 0xbf35d1c2, 0xbff96a98, 0xbeb711d6, 0x3ea568bf, 0xbf767832, 0xbfb7ac4c, 0x3f334fb4, 0x3fe327db, 0xc0036142, 0x3ea4d137, 0xbf887b7f, 0x3f0037b0, 0x3e8819b7, 0xbe6cca1b, 0x3fce4d59, 0x3f598cb1, 0x3ebf0a63, 0xbf948d4d, 0x3d75dd75, 0xbe26ca1b, 0xbfa1acc8, 0xbf453b26, 0x3fa2ddb1, 0xbec5c8ae, 0xbff4d420, 0x3f16487d, 0xbff216c6, 0xbf8cf398, 0xbf93885f, 0x3e42b99e, 0x3fd59a85, 0xbf1681eb, 0x3f7d2605, 0xbfa024bb, 0x3e8db8e0, 0x3d5662f9, 0x3efd6929, 0x3ea56c2e, 0x400afd2f, 0xbdc9bd5c, 0xbf118c4a, 0x3f3bfbff, 0x3f132ece, 0x3f1fe927, 0xbfec1453, 0x3f9e8527, 0x3f16f02d, 0x3f9c0d30, 0x3f945b92, 0x3e3501cf, 0xbe34a903, 0xbfd0e167, 0x3c58a5ce, 0x3e7b4de8, 0xbf0b994b, 0x3e95ec29, 0xbffb5caa, 0x3cc9faa2, 0x3f66e0a2, 0xbf958983, 0x3fd43bb5, 0xbfcf342f, 0xbf3cabba, 0x3fef4e79, 0xbf45d942, 0x40046445, 0x3e85781e, 0xbfa86a76, 0xbfc3dbc9, 0xbfb8c417, 0x3f8f69b2, 0xbf0c3a0b, 0x3f81d2a8, 0x3f6095dc, 0xbf3708b8, 0xbf7429d9, 0x3f2b1ab5, 0xbf00e215, 0xbea5590c, 0xbf5ea9e6, 0xbece58a7, 0xbcc5c008, 0x3eda26b7, 0x3f1ae3fa, 0xbfbe60bd, 0xbf2b20e1, 0x3fba5234, 0xbed2708e, 0x3f9550ae, 0x3f3fedbf, 0xbe5a1074, 0xbf955eab, 0xbc82662c, 0xbf216584, 0x3db990ca, 0xbe249a84, 0xbf6ddd97, 0xbee7c316, 0xbfa4282b, 0xbee9d38d, 0xbe6eb72b, 0xbe65ea8c, 0x3ed6888b, 0x3f30d403, 0xbe1a16ae, 0xbfb2b627, 0xbe674443, 0xbf42c24e, 0x3fd0a163, 0x3d14869b, 0xbe99fe1c, 0xbf848223, 0x3fd4123a, 0x3fd143a1, 0xbf204aed, 0xbe9f153b, 0xbf8827fc, 0xbdaaea60, 0x3fcd9020, 0x3f2961e9, 0x3ea94962, 0xbfaadb4d, 0xbe13de4a, 0xbf10cf94, 0xbf82c22e, 0x3e5ee648, 0xbef5ac8e, 0x3fa90a2d, 0x3f84a637, 0xbfddbb70, 0x3f055e87, 0x3e01a000, 0x3f4e755d, 0x3ff64f5c, 0x4000f093, 0x3fde8a2c, 0x3f08c0c8, 0xbec8f97f, 0xbea28cb6, 0xbed41429, 0x3ee934df, 0xbf4318f9, 0x3e11aeb0, 0x3f3f58ec, 0xbf145f24, 0xbf9eef9c, 0x3dd710df, 0x3e97de34, 0x3fec8e34, 0xbf0dfc34, 0xbc0e134d, 0xbe9ccfed, 0x40194ae0, 0xbfbaa10b, 0xbef3fc2f, 0xbf2a494e, 0xbf87fb8c]
        static let layerNormMean: [UInt32] = [0xbed67955, 0x3f37a06c, 0x4479ff8b]
        static let layerNormInvStd: [UInt32] = [0x3ef54908, 0x3edb934c, 0x4232fc37]
        static let matMulRow: [UInt32] = [0x41a3bf7b, 0x408c2fd2, 0x42909587, 0xc0d00df3, 0x41fa041c, 0x420795be, 0xbb649100, 0xc13ae096, 0xc20ec7d3, 0xc186d53b, 0xc101abff, 0xc156c4ce, 0x4182ee81, 0xc1af43d3, 0xc19e5d92, 0x41bd1b11, 0xc0c85f86, 0x41210bfb, 0xc215ec78, 0xc132688a, 0xc1684b60]
    }
}

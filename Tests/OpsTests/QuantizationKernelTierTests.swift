import CKernels
import Kernels
import Testing

/// The conversion and quantization C kernels give the same bits at every tier this CPU supports
/// (scalar, AVX2, AVX-512) over lengths that cross vector edges, including NaN, infinities,
/// ties and out-of-range values.
@Suite("Quantization: C kernel tiers agree")
struct QuantizationKernelTierTests {
    static var tiers: [CKTier] {
        [CK_TIER_SCALAR, CK_TIER_AVX2, CK_TIER_AVX512BW].filter { $0.rawValue <= UInt32(CPUTier.detected.rawValue) }
    }

    /// Deterministic awkward floats: ties at .5, huge, tiny, NaN, ±inf, -0.
    static func input(_ n: Int) -> [Float] {
        (0..<n).map { i in
            switch i % 11 {
            case 0: Float(i % 37) - 18.5
            case 1: .nan
            case 2: i % 2 == 0 ? .infinity : -.infinity
            case 3: -0.0
            case 4: Float(i) * 1e30
            case 5: Float(i) * 1e-30
            case 6: Float(bitPattern: UInt32(truncatingIfNeeded: i &* 2654435761))
            default: Float(i % 601) * 0.37 - 100
            }
        }
    }

    static let lengths = [0, 1, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 255, 257, 1000]

    @Test(arguments: lengths)
    func float16AndBfloat16(_ n: Int) {
        let x = Self.input(n)
        var reference: [UInt16] = []
        for tier in Self.tiers {
            var h = [UInt16](repeating: 0, count: n), b = [UInt16](repeating: 0, count: n)
            ck_f32_to_f16(x, &h, n, tier)
            ck_f32_to_bf16(x, &b, n, tier)
            var hf = [Float](repeating: 0, count: n), bf = [Float](repeating: 0, count: n)
            ck_f16_to_f32(h, &hf, n, tier)
            ck_bf16_to_f32(b, &bf, n, tier)
            let all = h + b + (hf + bf).map { UInt16(truncatingIfNeeded: $0.bitPattern) } + (hf + bf).map { UInt16($0.bitPattern >> 16) }
            if tier == CK_TIER_SCALAR { reference = all } else { #expect(all == reference, "tier \(tier.rawValue)") }
            // The scalar tier matches Swift's own float16 conversion for non-NaN values.
            for i in 0..<n where !x[i].isNaN { #expect(h[i] == Float16(x[i]).bitPattern) }
        }
    }

    @Test(arguments: lengths)
    func quantizeAndDequantize(_ n: Int) {
        let x = Self.input(n)
        let scales = (0..<n).map { Float($0 % 5 + 1) * 0.25 }
        let zps = (0..<n).map { Int32($0 % 9) - 4 }
        var reference: [Int32] = []
        var lo0: Float = 0, hi0: Float = 0
        for tier in Self.tiers {
            var u8 = [UInt8](repeating: 0, count: n), s8 = [Int8](repeating: 0, count: n)
            var u16 = [UInt16](repeating: 0, count: n), s16 = [Int16](repeating: 0, count: n)
            ck_quantize_f32_u8(x, &u8, n, 0.3, 7, 0, 255, tier)
            ck_quantize_f32_s8(x, &s8, n, 0.3, -7, -8, 7, tier)
            ck_quantize_f32_u16(x, &u16, n, 0.3, 300, 0, 65535, tier)
            ck_quantize_f32_s16(x, &s16, n, 0.3, -3, -32768, 32767, tier)
            var au8 = [UInt8](repeating: 0, count: n), as8 = [Int8](repeating: 0, count: n)
            ck_quantize_f32_u8_axis(x, &au8, n, scales, zps.map { $0 + 4 }, 0, 255, tier)
            ck_quantize_f32_s8_axis(x, &as8, n, scales, zps, -128, 127, tier)
            var d1 = [Float](repeating: 0, count: n), d2 = [Float](repeating: 0, count: n), d3 = [Float](repeating: 0, count: n)
            ck_dequantize_u8_f32(u8, &d1, n, 0.3, 7, tier)
            ck_dequantize_s8_f32_axis(s8, &d2, n, scales, zps, tier)
            let i32 = (0..<n).map { Int32(truncatingIfNeeded: $0 &* 2654435761) }
            ck_dequantize_s32_f32(i32, &d3, n, 0.001, 0, tier)
            var lo: Float = 0, hi: Float = 0
            ck_range_with_zero_f32(x, n, &lo, &hi, tier)
            let all = u8.map(Int32.init) + s8.map(Int32.init) + u16.map(Int32.init) + s16.map(Int32.init) + au8.map(Int32.init)
                + as8.map(Int32.init) + (d1 + d2 + d3).map { Int32(bitPattern: $0.bitPattern) }
            if tier == CK_TIER_SCALAR {
                reference = all
                lo0 = lo
                hi0 = hi
                // Scalar semantics against a Swift reference: clamp(rne(x / 0.3) + 7, 0, 255), NaN → 0.
                for i in 0..<n {
                    let q = x[i] / 0.3
                    let expected: UInt8 = q.isNaN ? 0 : UInt8(Swift.max(0, Swift.min(255, q.rounded(.toNearestOrEven) + 7)))
                    #expect(u8[i] == expected)
                }
                let finite = x.filter { !$0.isNaN }
                #expect(lo == Swift.min(0, finite.min() ?? 0) && hi == Swift.max(0, finite.max() ?? 0))
            } else {
                #expect(all == reference, "tier \(tier.rawValue)")
                #expect(lo.bitPattern == lo0.bitPattern && hi.bitPattern == hi0.bitPattern)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Kernels
import Testing

/// The tiered float32 elementwise C kernels agree bit for bit with their baseline (the scalar
/// reference) on every tier this CPU supports, over lengths that cross vector-width edges.
@Suite("Elementwise: C kernel tiers")
struct ElementwiseKernelTierTests {
    typealias Unary = @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    typealias Binary = @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    typealias Const = @convention(c) (UnsafePointer<Float>?, Float, UnsafeMutablePointer<Float>?, Int) -> Void

    static let lengths = Array(0...70) + [127, 128, 129, 1000]
    static let specials: [Float] = [0, -0.0, .nan, .infinity, -.infinity, .leastNormalMagnitude / 8, -.leastNormalMagnitude / 8, 88.7, 88.8, -87.3, -104,
                                    0.625, -0.625, 0.6249999, 9, -9, 20, -20, 1e30, -1e30]

    /// Test inputs of length n: a ramp over [-12, 12] with the special values mixed in.
    static func input(_ n: Int, seed: Int) -> [Float] {
        (0..<n).map { i in
            i % 5 == 3 ? specials[(i / 5 + seed) % specials.count] : Float((i * 37 + seed * 11) % 241) * 0.1 - 12
        }
    }

    static func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    static var tiers: [Int] {
        var t: [Int] = []
        // Tiers are not cumulative past avx2 (AVX-VNNI does not imply AVX-512): test what is supported.
        if CPUTier.supported.contains(.avx2) { t.append(1) }
        if CPUTier.supported.contains(.avx512bw) { t.append(2) }
        return t
    }

    static let unary: [(String, [Unary])] = [
        ("sqrt", [ck_f32_sqrt, ck_f32_sqrt__avx2, ck_f32_sqrt__avx512]),
        ("reciprocal", [ck_f32_reciprocal, ck_f32_reciprocal__avx2, ck_f32_reciprocal__avx512]),
        ("relu", [ck_f32_relu, ck_f32_relu__avx2, ck_f32_relu__avx512]),
        ("sigmoid", [ck_f32_sigmoid, ck_f32_sigmoid__avx2, ck_f32_sigmoid__avx512]),
        ("tanh", [ck_f32_tanh, ck_f32_tanh__avx2, ck_f32_tanh__avx512]),
        ("gelu_tanh", [ck_f32_gelu_tanh, ck_f32_gelu_tanh__avx2, ck_f32_gelu_tanh__avx512]),
        ("erf", [ck_f32_erf, ck_f32_erf__avx2, ck_f32_erf__avx512]),
        ("gelu", [ck_f32_gelu, ck_f32_gelu__avx2, ck_f32_gelu__avx512]),
        ("exp", [ck_f32_exp, ck_f32_exp__avx2, ck_f32_exp__avx512]),
        ("neg", [ck_f32_neg, ck_f32_neg__avx2, ck_f32_neg__avx512]),
        ("abs", [ck_f32_abs, ck_f32_abs__avx2, ck_f32_abs__avx512]),
        ("ceil", [ck_f32_ceil, ck_f32_ceil__avx2, ck_f32_ceil__avx512]),
        ("floor", [ck_f32_floor, ck_f32_floor__avx2, ck_f32_floor__avx512]),
    ]

    static let binary: [(String, [Binary])] = [
        ("add", [ck_f32_vadd, ck_f32_vadd__avx2, ck_f32_vadd__avx512]),
        ("sub", [ck_f32_vsub, ck_f32_vsub__avx2, ck_f32_vsub__avx512]),
        ("mul", [ck_f32_vmul, ck_f32_vmul__avx2, ck_f32_vmul__avx512]),
        ("div", [ck_f32_vdiv, ck_f32_vdiv__avx2, ck_f32_vdiv__avx512]),
    ]

    static let constant: [(String, [Const])] = [
        ("addc", [ck_f32_vaddc, ck_f32_vaddc__avx2, ck_f32_vaddc__avx512]),
        ("subc", [ck_f32_vsubc, ck_f32_vsubc__avx2, ck_f32_vsubc__avx512]),
        ("rsubc", [ck_f32_vrsubc, ck_f32_vrsubc__avx2, ck_f32_vrsubc__avx512]),
        ("mulc", [ck_f32_vmulc, ck_f32_vmulc__avx2, ck_f32_vmulc__avx512]),
        ("divc", [ck_f32_vdivc, ck_f32_vdivc__avx2, ck_f32_vdivc__avx512]),
        ("rdivc", [ck_f32_vrdivc, ck_f32_vrdivc__avx2, ck_f32_vrdivc__avx512]),
    ]

    @Test func unaryTiersMatchBaseline() {
        for (name, fns) in Self.unary {
            for n in Self.lengths {
                let x = Self.input(n, seed: 1)
                var want = [Float](repeating: 0, count: n)
                fns[0](x, &want, n)
                for t in Self.tiers {
                    var got = [Float](repeating: 0, count: n)
                    fns[t](x, &got, n)
                    #expect(Self.bits(got) == Self.bits(want), "\(name) tier \(t) n \(n)")
                }
            }
        }
    }

    @Test func binaryTiersMatchBaseline() {
        for n in Self.lengths {
            let a = Self.input(n, seed: 2), b = Self.input(n, seed: 7)
            for (name, fns) in Self.binary {
                var want = [Float](repeating: 0, count: n)
                fns[0](a, b, &want, n)
                for t in Self.tiers {
                    var got = [Float](repeating: 0, count: n)
                    fns[t](a, b, &got, n)
                    #expect(Self.bits(got) == Self.bits(want), "\(name) tier \(t) n \(n)")
                }
            }
            for (name, fns) in Self.constant {
                var want = [Float](repeating: 0, count: n)
                fns[0](a, -1.75, &want, n)
                for t in Self.tiers {
                    var got = [Float](repeating: 0, count: n)
                    fns[t](a, -1.75, &got, n)
                    #expect(Self.bits(got) == Self.bits(want), "\(name) tier \(t) n \(n)")
                }
            }
        }
    }

    /// The baseline kernels against the C library in Double (relative 1e-6 where the reference is
    /// above 1e-30; sigmoid absolute 2e-7), over [-14, 14] in steps of 0.0035.
    @Test func baselineAccuracy() {
        let n = 8001
        let x = (0..<n).map { Float($0) * 0.0035 - 14 }
        func check(_ f: Unary, _ reference: (Double) -> Double, _ name: String) {
            var y = [Float](repeating: 0, count: n)
            f(x, &y, n)
            var worst = 0.0
            for i in 0..<n {
                let r = reference(Double(x[i]))
                guard abs(r) > 1e-30 else { continue }
                worst = max(worst, abs(Double(y[i]) - r) / abs(r))
            }
            #expect(worst < 1e-6, "\(name): worst relative error \(worst)")
        }
        // sigmoid is ONNX Runtime's rational approximation: absolute, not relative, error.
        var y = [Float](repeating: 0, count: n)
        ck_f32_sigmoid(x, &y, n)
        var worst = 0.0
        for i in 0..<n {
            let r: Double = 1 / (1 + exp(-Double(x[i])))
            worst = max(worst, abs(Double(y[i]) - r))
        }
        #expect(worst < 2e-7, "sigmoid: worst absolute error \(worst)")
        check(ck_f32_tanh, { tanh($0) }, "tanh")
        check(ck_f32_exp, { exp($0) }, "exp")
        check(ck_f32_erf, { erf($0) }, "erf")
        check(ck_f32_gelu, { 0.5 * $0 * erfc(-$0 / 2.0.squareRoot()) }, "gelu")
    }
}

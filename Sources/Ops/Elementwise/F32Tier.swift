import CKernels
import Kernels

/// Which instantiation of the tiered float32 C kernels (`ck_elementwise.h`) runs: chosen once from
/// `CPUTier.active` (so `ONNXRUN_CPU` caps it). AVX-VNNI implies AVX2; both AVX-512 tiers imply
/// AVX-512 F/BW/VL. All instantiations give bit-identical results.
enum F32Tier {
    case baseline, avx2, avx512

    static let active: F32Tier = {
        switch CPUTier.active {
        case .scalar, .neonDotProd: .baseline
        case .avx2, .avxVNNI: .avx2
        case .avx512bw, .avx512VNNI: .avx512
        }
    }()

    typealias Binary = @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    typealias Const = @convention(c) (UnsafePointer<Float>?, Float, UnsafeMutablePointer<Float>?, Int) -> Void
    typealias Unary = @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void

    @inline(__always)
    static func pick<F>(_ baseline: F, _ avx2: F, _ avx512: F) -> F {
        switch active {
        case .baseline: baseline
        case .avx2: avx2
        case .avx512: avx512
        }
    }
}

import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The instruction-set tier kernels dispatch on, chosen once from CPUID/XGETBV and capped by the
/// `ONNXRUN_CPU` environment variable (`scalar`, `avx2`, `avx512bw`, `avxvnni`, `avx512vnni`,
/// `neondotprod`) so lower tiers can be tested on a machine that has higher ones.
public enum CPUTier: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// `neonDotProd` (arm64 `sdot`) is never supported on x86-64, nor the x86 tiers on arm64.
    case scalar = 0, avx2, avx512bw, avxVNNI, avx512VNNI, neonDotProd

    public static func < (a: CPUTier, b: CPUTier) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .scalar: "scalar"
        case .avx2: "avx2"
        case .avx512bw: "avx512bw"
        case .avxVNNI: "avxvnni"
        case .avx512VNNI: "avx512vnni"
        case .neonDotProd: "neondotprod"
        }
    }

    public init?(name: String) {
        guard let t = CPUTier.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = t
    }

    /// Every tier the hardware and OS support, lowest first. Tiers are not cumulative past avx2
    /// (an AVX-VNNI CPU may lack AVX-512 and the reverse), so dispatch on the exact tier.
    public static let supported: [CPUTier] = {
        let mask = ck_supported_tiers()
        return CPUTier.allCases.filter { mask & (1 << UInt32($0.rawValue)) != 0 }
    }()

    /// The best tier the hardware and OS support.
    public static let detected: CPUTier = supported.last ?? .scalar

    /// The tier in use: `detected`, or with `ONNXRUN_CPU` set to a tier name, the best supported
    /// tier not above it.
    public static let active: CPUTier = {
        guard let raw = getenv("ONNXRUN_CPU"), let cap = CPUTier(name: String(cString: raw)) else { return detected }
        return supported.last { $0 <= cap } ?? .scalar
    }()

    /// This tier as the C kernels' enum value.
    public var ck: CKTier { CKTier(rawValue: UInt32(rawValue)) }
}

/// What the kernels found on this CPU and what each kernel family runs, for diagnostics
/// (`onnxrun info`).
public enum CPUReport {
    /// The CPU's brand string, or "" when unavailable.
    public static var brand: String {
        var buf = [CChar](repeating: 0, count: 64)
        ck_cpu_brand(&buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Instruction-set features found (CPUID and the OS-enabled register state).
    public static var features: [String] {
        var buf = [CChar](repeating: 0, count: 512)
        ck_cpu_feature_list(&buf, buf.count)
        let text = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: " ").map(String.init)
    }

    /// The micro-kernel each GEMM family runs at `tier` (default: the active tier).
    public static func kernels(tier: CPUTier = .active) -> [(family: String, kernel: String)] {
        [("int8 GEMM (MatMulInteger, QLinearMatMul)", String(cString: ck_gemm_kernel_name(tier.ck, 1))),
         ("fp32 GEMM (MatMul, Gemm)", String(cString: ck_gemm_kernel_name(tier.ck, 0)))]
    }
}

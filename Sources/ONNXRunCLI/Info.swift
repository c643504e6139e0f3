import ArgumentParser
import Kernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `onnxrun info`: the CPU features the kernels found, the tier in use and why, the thread count,
/// and the micro-kernel each GEMM family runs.
struct Info: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the CPU features found, the kernel tier in use, and the kernel chosen per family.",
        discussion: """
            The tier is the best the CPU and OS support, capped by ONNXRUN_CPU (scalar, avx2, \
            avx512bw, avxvnni, avx512vnni) when set.
            """)

    func execute(_ out: Output) throws(CLIError) {
        for line in Self.lines() { out.line(line) }
    }

    static func lines() -> [String] {
        let brand = CPUReport.brand
        var lines = ["cpu: \(brand.isEmpty ? "unknown" : brand)"]
        lines.append("features: \(CPUReport.features.joined(separator: " "))")
        lines.append("tiers supported: \(CPUTier.supported.map(\.description).joined(separator: " "))")
        let cap = getenvString("ONNXRUN_CPU")
        var active = "tier active: \(CPUTier.active)"
        if let cap { active += " (ONNXRUN_CPU=\(cap))" } else { active += " (best supported)" }
        lines.append(active)
        if !CPUTier.supported.contains(.avx512VNNI) && !CPUTier.supported.contains(.avxVNNI) {
            lines.append("note: no VNNI on this CPU: int8 GEMM uses exact 16-bit widening at about half the VNNI rate")
        }
        lines.append("threads: \(KernelThreads.count) (available cores \(KernelThreads.availableCores))")
        for (family, kernel) in CPUReport.kernels() { lines.append("kernel \(family): \(kernel)") }
        return lines
    }

    private static func getenvString(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}

import Foundation
import Testing

/// The arm64 NEON dot-product int8 kernels cannot run on this x86-64 host; this compiles them for
/// arm64 (Linux and macOS targets) with the toolchain's clang through `scripts/check_neon.sh`,
/// which also checks that the object uses `sdot`. Their arithmetic is tested at run time through
/// the portable emulation (the NEON tier in `QGemmTests`), not the real instructions.
@Suite struct NeonCompileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = root.appendingPathComponent("scripts/check_neon.sh")

    /// A clang the script can use: next to `swift` or on PATH.
    static let clang: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/clang"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    @Test(.enabled(if: clang != nil && FileManager.default.fileExists(atPath: script.path),
                   "needs clang on PATH and scripts/check_neon.sh"))
    func neonKernelsCompileForArm64() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.script.path, Self.clang ?? "clang"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "check_neon.sh failed:\n\(output)")
        #expect(output.contains("aarch64-linux-gnu: gemm_i8_neon.c ok"), "\(output)")
    }
}

import ArgumentParser
import CKernels
import Kernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `onnxrun bench`: micro-benchmarks of the kernels.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark kernels (see bench/gemm/bench.py for the side-by-side run with ONNX Runtime).",
        subcommands: [BenchGemm.self])
}

/// `onnxrun bench gemm`: times the int8 (u8 A with a dynamic zero point × prepacked s8 B → int32)
/// and fp32 (A × prepacked B) GEMMs, and the dynamic-quantization chain (`dq`: float A quantized
/// over the whole tensor as DynamicQuantizeLinear does, then the int8 GEMM with the fused float
/// epilogue `QGemm.gemmFloat`, i.e. DynamicQuantizeLinear → MatMulInteger → Cast → Mul as one
/// fused op will run it), on M×K×N shapes, and prints one JSON object per cell.
struct BenchGemm: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Time the int8 and fp32 GEMM kernels; one JSON line per shape, kind and thread count.",
        discussion: """
            Each cell runs calls for about --seconds and reports the median and minimum per-call time, \
            GOP/s (2·M·K·N per call) from the median, and cpu/wall of the timed loop (the process's CPU \
            time over wall time divided by the thread count; well below 1 means the machine was busy).
            """)

    @Option(help: "Comma-separated MxKxN shapes.")
    var shapes = "1x512x512,8x512x2048,32x512x512,64x512x2048,256x512x2048,256x2048x512,1x512x32000,32x512x32000,1024x1024x1024"

    @Option(help: "Comma-separated thread counts.")
    var threads = "1,2"

    @Option(help: "Comma-separated kinds: i8, f32, dq (the DynamicQuantizeLinear → int8 GEMM → float chain).")
    var kinds = "i8,f32"

    @Option(help: "Seconds of calls per cell.")
    var seconds = 0.5

    func execute(_ out: Output) throws(CLIError) {
        let shapeList = try parseShapes(shapes)
        let threadList = threads.split(separator: ",").compactMap { Int($0) }
        guard !threadList.isEmpty, threadList.allSatisfy({ $0 >= 1 && $0 <= 256 }) else {
            throw CLIError("--threads must list counts from 1 to 256")
        }
        let kindList = kinds.split(separator: ",").map(String.init)
        guard kindList.allSatisfy({ ["i8", "f32", "dq"].contains($0) }) else {
            throw CLIError("--kinds must list i8, f32 and/or dq")
        }
        guard seconds > 0, seconds <= 60 else { throw CLIError("--seconds must be in (0, 60]") }
        let saved = KernelThreads.count
        defer { KernelThreads.count = saved }
        for (m, k, n) in shapeList {
            for kind in kindList {
                for t in threadList {
                    KernelThreads.count = t
                    out.line(try cell(kind: kind, m: m, k: k, n: n, threads: t))
                }
            }
        }
    }

    private func parseShapes(_ text: String) throws(CLIError) -> [(Int, Int, Int)] {
        var result: [(Int, Int, Int)] = []
        for item in text.split(separator: ",") {
            let d = item.split(separator: "x").compactMap { Int($0) }
            guard d.count == 3, d.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }), d[0] * d[1] <= 1 << 28, d[1] * d[2] <= 1 << 28
            else { throw CLIError("bad shape '\(item)': expected MxKxN with each dim in 1...65536") }
            result.append((d[0], d[1], d[2]))
        }
        return result
    }

    private static func now(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The dynamic-quantization chain on float A (m×k) and a prepacked s8 B (k×n) with a per-tensor
    /// scale: the range and quantize kernels of DynamicQuantizeLinear (scale and zero point by its
    /// formula), then the int8 GEMM with the float epilogue y = float(C)·(x_scale·w_scale).
    private static func chain(m: Int, k: Int, n: Int, rng: inout SystemRandomNumberGenerator) throws(CLIError)
        -> (call: () -> Void, release: () -> Void) {
        let x = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
        let xq = UnsafeMutablePointer<UInt8>.allocate(capacity: m * k)
        let b = UnsafeMutablePointer<Int8>.allocate(capacity: k * n)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        let zp = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        let wScale = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        for i in 0..<(m * k) { x[i] = Float.random(in: -3...3, using: &rng) }
        for i in 0..<(k * n) { b[i] = Int8.random(in: -128...127, using: &rng) }
        wScale.pointee = 0.02
        let release = { x.deallocate(); xq.deallocate(); b.deallocate(); y.deallocate(); zp.deallocate(); wScale.deallocate() }
        guard let packed = PackedInt8Matrix(signed: true, k: k, n: n, b: UnsafeRawPointer(b), ldb: n) else {
            release()
            throw CLIError("out of memory packing B")
        }
        let tier = CPUTier.active.ck
        let call = {
            var lo: Float = 0, hi: Float = 0
            ck_range_with_zero_f32(x, m * k, &lo, &hi, tier)
            let (scale, z) = dynamicQuantizeParameters(lo: lo, hi: hi)
            ck_quantize_f32_u8(x, xq, m * k, scale, Int32(z), 0, 255, tier)
            zp.pointee = Int32(z)
            withExtendedLifetime(packed) {
                _ = QGemm.gemmFloat(aSigned: false, m: m, a: UnsafeRawPointer(xq), lda: k, aZeroPoints: zp, b: packed,
                                    aScale: scale, bScale: wScale, bScaleStride: 0, y: y, ldy: n)
            }
        }
        return (call, release)
    }

    /// DynamicQuantizeLinear's scale and zero point for the range [lo, hi] (lo ≤ 0 ≤ hi), as the op
    /// computes them (Sources/Ops/Quantization/DynamicQuantizeLinear.swift).
    private static func dynamicQuantizeParameters(lo: Float, hi: Float) -> (Float, UInt8) {
        let scale: Float = hi == lo ? 1 : (hi - lo) / 255
        let initial: Float = 0 - lo / scale
        let clamped = initial.isNaN ? 0 : Swift.max(0, Swift.min(255, initial))
        return (scale, UInt8(clamped.rounded(.toNearestOrEven)))
    }

    private func cell(kind: String, m: Int, k: Int, n: Int, threads: Int) throws(CLIError) -> String {
        var rng = SystemRandomNumberGenerator()
        let call: () -> Void, release: () -> Void
        if kind == "i8" {
            let a = UnsafeMutablePointer<UInt8>.allocate(capacity: m * k)
            let b = UnsafeMutablePointer<Int8>.allocate(capacity: k * n)
            let c = UnsafeMutablePointer<Int32>.allocate(capacity: m * n)
            for i in 0..<(m * k) { a[i] = UInt8.random(in: 0...255, using: &rng) }
            for i in 0..<(k * n) { b[i] = Int8.random(in: -128...127, using: &rng) }
            guard let packed = PackedInt8Matrix(signed: true, k: k, n: n, b: UnsafeRawPointer(b), ldb: n) else {
                throw CLIError("out of memory packing B")
            }
            let zp = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
            zp.pointee = 128
            release = { a.deallocate(); b.deallocate(); c.deallocate(); zp.deallocate() }
            call = {
                withExtendedLifetime(packed) {
                    _ = QGemm.gemm(aSigned: false, m: m, a: UnsafeRawPointer(a), lda: k, aZeroPoints: zp, b: packed,
                                   c: c, ldc: n)
                }
            }
        } else if kind == "dq" {
            (call, release) = try Self.chain(m: m, k: k, n: n, rng: &rng)
        } else {
            let a = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
            let b = UnsafeMutablePointer<Float>.allocate(capacity: k * n)
            let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
            for i in 0..<(m * k) { a[i] = Float.random(in: -1...1, using: &rng) }
            for i in 0..<(k * n) { b[i] = Float.random(in: -1...1, using: &rng) }
            guard let packed = PackedFloatMatrix(k: k, n: n, b: b, ldb: n) else { throw CLIError("out of memory packing B") }
            release = { a.deallocate(); b.deallocate(); c.deallocate() }
            call = { SGemm.sgemm(m: m, a: a, lda: k, packed: packed, c: c, ldc: n) }
        }
        defer { release() }
        for _ in 0..<3 { call() }
        var times: [Double] = []
        times.reserveCapacity(1 << 16)
        let w0 = Self.now(CLOCK_MONOTONIC), c0 = Self.now(CLOCK_PROCESS_CPUTIME_ID)
        while true {
            let s = Self.now(CLOCK_MONOTONIC)
            call()
            let e = Self.now(CLOCK_MONOTONIC)
            if times.count < 1 << 20 { times.append(e - s) }
            if e - w0 > seconds && times.count >= 5 { break }
        }
        let wall = Self.now(CLOCK_MONOTONIC) - w0, cpu = Self.now(CLOCK_PROCESS_CPUTIME_ID) - c0
        times.sort()
        let median = times[times.count / 2], best = times[0]
        let ops = 2.0 * Double(m) * Double(k) * Double(n)
        func f(_ x: Double, _ digits: Int) -> String {
            var p = 1.0
            for _ in 0..<digits { p *= 10 }
            return "\((x * p).rounded() / p)"
        }
        return "{\"runner\":\"onnxrun\",\"kind\":\"\(kind)\",\"m\":\(m),\"k\":\(k),\"n\":\(n),\"threads\":\(threads),"
            + "\"tier\":\"\(CPUTier.active)\",\"median_us\":\(f(median * 1e6, 3)),\"min_us\":\(f(best * 1e6, 3)),"
            + "\"gops\":\(f(ops / median / 1e9, 1)),\"gops_min\":\(f(ops / best / 1e9, 1)),"
            + "\"cpu_wall\":\(f(cpu / wall / Double(threads), 3)),\"calls\":\(times.count)}"
    }
}

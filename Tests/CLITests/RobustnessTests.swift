import Foundation
import Testing
@testable import ONNXRunCLI

/// Damaged model and .npy files never crash a subcommand: each run either succeeds or ends with
/// exactly one `error:` line and a non-zero status.
@Suite struct RobustnessTests {
    /// A deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func expectCleanOutcome(_ r: CLIResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if r.status == 0 {
            #expect(r.stderr.isEmpty, "\(what): \(r.stderr)", sourceLocation: sourceLocation)
        } else {
            #expect(r.errorLines.count == 1 && r.errorLines[0].hasPrefix("error: "), "\(what): \(r.stderr)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func everyTruncationOfTheModel() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("if_subgraph.onnx"))))
        for n in 0..<bytes.count {
            let p = try dir.write("m.onnx", Array(bytes.prefix(n)))
            expectCleanOutcome(runCLI(["dump", p]), "truncated to \(n)")
        }
    }

    @Test func randomByteDamageToTheModel() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny.onnx"))))
        var rng = SplitMix(state: 42)
        let x = Fixtures.path("tiny_x.npy"), y = Fixtures.path("tiny_y.npy")
        for trial in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let p = try dir.write("m.onnx", bytes)
            expectCleanOutcome(runCLI(["run", p, "--input", "x=" + x, "--input", "y=" + y]), "trial \(trial)")
        }
    }

    @Test func randomByteDamageToAnNpyHeader() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny_x.npy"))))
        var rng = SplitMix(state: 7)
        for trial in 0..<300 {
            var bytes = original
            bytes[Int.random(in: 0..<128, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            let p = try dir.write("x.npy", bytes)
            do { _ = try NpyFile.read(p) } catch { #expect(!error.description.contains("\n"), "trial \(trial)") }
        }
    }
}

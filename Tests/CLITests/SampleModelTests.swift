import Foundation
import ONNXGraph
import Testing
@testable import ONNXRunCLI

/// The README's first command: `onnxrun run` on testdata/sample (scripts/make_sample_model.py)
/// matches ONNX Runtime's outputs saved beside the model. Tolerance 1e-5 absolute: the int8 path
/// (DynamicQuantizeLinear → MatMulInteger) is exact, the float ops differ only in rounding.
@Suite struct SampleModelTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/sample").path

    @Test func runMatchesOnnxRuntime() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let r = runCLI(["run", SampleModelTests.sample + "/model.onnx", "--input", "x=\(SampleModelTests.sample)/x.npy",
                        "--output-dir", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["y", "probs", "pooled"] {
            let actual = try NpyFile.read(dir.file("\(name).npy")).tensor
            let expected = try NpyFile.read(SampleModelTests.sample + "/expected_\(name).npy").tensor
            #expect(actual.shape == expected.shape, "\(name)")
            let a = actual.toArray(Float.self), e = expected.toArray(Float.self)
            let worst = zip(a, e).map { abs($0 - $1) }.max() ?? .infinity
            #expect(a.count == e.count && worst <= 1e-5, "\(name): max |Δ| \(worst)")
        }
    }
}

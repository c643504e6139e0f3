import ONNXRunCLI
import Testing

/// `onnxrun dump --passes` / `--trace-passes` on the int8 encoder: the rewritten model's op
/// histogram and the pass report.
@Suite struct DumpPassesTests {
    static func dump(_ args: [String]) -> (Int32, [String]) {
        let out = Output.buffer(), err = Output.buffer()
        let status = ONNXRun.execute(["dump"] + args + [Fixtures.path("marian-tiny/int8/encoder_model.onnx")],
                                     output: out, errors: err)
        return (status, out.text.split(separator: "\n").map(String.init))
    }

    @Test func plainDumpShowsTheLoadedGraph() {
        let (status, lines) = Self.dump([])
        #expect(status == 0)
        #expect(lines.contains("  12  MatMulInteger"))
        #expect(!lines.contains { $0.hasPrefix("passes:") })
    }

    @Test func passesDumpShowsTheRewrittenGraphAndTheReport() {
        let (status, lines) = Self.dump(["--passes"])
        #expect(status == 0)
        #expect(lines.contains("  12  ai.onnxrun::QuantizedMatMulFloat"))
        #expect(!lines.contains { $0.hasSuffix(" MatMulInteger") })
        #expect(lines.contains { $0.hasPrefix("opsets: ") && $0.contains("ai.onnxrun 1") })
        #expect(lines.contains("passes: 2 iterations, 18 rewrites"))
        #expect(lines.contains("  FuseQuantizedMatMulFloat: 12"))
    }

    @Test func traceListsEveryRewrite() {
        let (status, lines) = Self.dump(["--trace-passes"])
        #expect(status == 0)
        #expect(lines.filter { $0.hasPrefix("    graph ") && $0.contains("→ QuantizedMatMulFloat →") }.count == 12)
    }
}

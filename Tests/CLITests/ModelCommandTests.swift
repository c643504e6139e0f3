import Foundation
import ONNXGraph
import Testing
@testable import ONNXRunCLI

/// `dump`, `run` and `check` in-process on the fixture models (scripts/make_cli_fixtures.py).
@Suite struct DumpCommandTests {
    @Test func dumpsTinyModel() {
        let r = runCLI(["dump", Fixtures.path("tiny.onnx")])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.dropFirst()) == [
            "ir_version: 8",
            "producer: onnxrun-fixtures 1",
            "opsets: ai.onnx 17",
            "graph: tiny",
            "inputs (2):",
            "  x  float[batch,3]",
            "  y  float[batch,3]",
            "outputs (2):",
            "  out/logits  float[batch,2]",
            "  sum         float[batch,3]",
            "ops (3 nodes in 2 op types):",
            "  2  Add",
            "  1  MatMul",
            "initializers: 2, 32 bytes (32 B)",
            "metadata (2):",
            "  author: onnxrun tests",
            "  note: two\\nlines",
        ])
    }

    @Test func histogramCountsSubgraphNodes() {
        let r = runCLI(["dump", Fixtures.path("if_subgraph.onnx")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ops (6 nodes in 4 op types, 2 subgraphs):\n  3  Mul\n  1  Add\n  1  Identity\n  1  If\n"))
    }

    @Test func malformedModelsAreOneLineErrors() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let tiny = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny.onnx"))))
        let truncated = try dir.write("truncated.onnx", Array(tiny.prefix(tiny.count / 2)))
        let junk = try dir.write("junk.onnx", Array("this is not a protobuf at all\n".utf8))
        let empty = try dir.write("empty.onnx", [])
        for path in [truncated, junk, empty] {
            for sub in ["dump", "run", "check"] {
                let r = runCLI([sub, path])
                #expect(r.status != 0, "\(sub) \(path)")
                #expect(r.errorLines.count == 1 && r.errorLines[0].hasPrefix("error: "), "\(sub) \(path): \(r.stderr)")
            }
        }
    }
}

@Suite struct RunCommandTests {
    func tinyArgs(_ extra: [String] = []) -> [String] {
        ["run", Fixtures.path("tiny.onnx"), "--input", "x=" + Fixtures.path("tiny_x.npy"),
         "--input", "y=" + Fixtures.path("tiny_y.npy")] + extra
    }

    @Test func writesOutputsMatchingOnnxRuntime() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let outDir = dir.file("nested/out")
        let r = runCLI(tinyArgs(["--output-dir", outDir]))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "out/logits: float[2,2] -> \(outDir)/out_logits.npy\nsum: float[2,3] -> \(outDir)/sum.npy\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: outDir).sorted()
        #expect(files == ["out_logits.npy", "sum.npy"])
        for (file, expected) in [("out_logits.npy", "tiny_expected_logits.npy"), ("sum.npy", "tiny_expected_sum.npy")] {
            let got = try NpyFile.read(outDir + "/" + file)
            let want = try NpyFile.read(Fixtures.path(expected))
            #expect(got.header == want.header)
            let g = got.tensor.toArray(Float.self), w = want.tensor.toArray(Float.self)
            #expect(g.count == w.count && zip(g, w).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(g) vs \(w)")
        }
    }

    @Test func printsPreviewWithoutOutputDir() {
        let r = runCLI(tinyArgs())
        #expect(r.status == 0, "\(r.stderr)")
        // sum = x + y, computed by hand from tiny_x.npy and tiny_y.npy.
        #expect(r.stdout.contains("sum: float[2,3] [1.5, 2.5, 3.5, 1.0, -1.5, 5.0]"), "\(r.stdout)")
    }

    @Test func timingLine() throws {
        let r = runCLI(tinyArgs(["--timing"]))
        #expect(r.status == 0, "\(r.stderr)")
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let phases = last.dropFirst("timing: ".count).split(separator: ", ").map { $0.split(separator: " ").first ?? "" }
        #expect(last.hasPrefix("timing: ") && phases == ["load", "inputs", "plan", "run", "output"], "\(last)")
        let d = runCLI(["dump", "--timing", Fixtures.path("tiny.onnx")])
        #expect(d.stdout.split(separator: "\n").last?.hasPrefix("timing: load ") == true)
    }

    @Test func inputErrors() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let tiny = Fixtures.path("tiny.onnx"), x = Fixtures.path("tiny_x.npy")
        expectError(runCLI(["run", tiny, "--input", "x=" + x]), contains: "missing required input 'y'")
        expectError(runCLI(["run", tiny]), contains: "missing required inputs 'x', 'y'")
        expectError(runCLI(tinyArgs(["--input", "z=" + x])), contains: "the model has no input 'z' (its inputs: 'x', 'y')")
        expectError(runCLI(["run", tiny, "--input", "x=" + Fixtures.path("npy/i8.npy"), "--input", "y=" + x]),
                    contains: "input 'x' is float but the .npy file holds <i8")
        let wrongShape = dir.file("w.npy")
        try NpyFile.write(wrongShape, tensor: try Tensor(.float, shape: [2, 4], values: [Float](repeating: 1, count: 8)))
        expectError(runCLI(["run", tiny, "--input", "x=" + wrongShape, "--input", "y=" + x]),
                    contains: "input 'x' has shape [2,4] but the model declares [batch,3]")
        expectError(runCLI(["run", tiny, "--input", "x=" + Fixtures.path("npy/fortran.npy"), "--input", "y=" + x]),
                    contains: "Fortran")
        expectError(runCLI(["run", tiny, "--input", "x=" + dir.path, "--input", "y=" + x]), contains: "is a directory")
        expectError(runCLI(["run", tiny, "--input", "x=" + dir.file("none.npy"), "--input", "y=" + x]),
                    contains: "cannot open")
        let truncated = try dir.write("t.npy", Array(try Data(contentsOf: URL(fileURLWithPath: x)).prefix(60)))
        expectError(runCLI(["run", tiny, "--input", "x=" + truncated, "--input", "y=" + x]), contains: "truncated")
    }

    @Test func outputDirThatIsAFile() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let file = try dir.write("plain", [1])
        expectError(runCLI(tinyArgs(["--output-dir", file])), contains: "is not a directory")
        expectError(runCLI(tinyArgs(["--output-dir", ""])), contains: "--output-dir is empty")
    }

    @Test func doesNotFollowPlantedSymlinks() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let victim = try dir.write("victim", [1, 2, 3])
        try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("out/sum.npy"), withDestinationPath: victim)
        expectError(runCLI(tinyArgs(["--output-dir", dir.file("out")])), contains: "cannot create")
        #expect(try Data(contentsOf: URL(fileURLWithPath: victim)) == Data([1, 2, 3]))
    }

    @Test func unsupportedOpFailsNamingIt() {
        let r = runCLI(["run", Fixtures.path("unknown_op.onnx"), "--input", "x=" + Fixtures.path("npy/f4.npy")])
        #expect(r.status != 0)
        #expect(r.errorLines.count == 1)
    }
}

@Suite struct CheckCommandTests {
    @Test func validModelPassesEveryStep() {
        let r = runCLI(["check", Fixtures.path("tiny.onnx")])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("plan: ok"))
        #expect(r.stdout.contains("onnx checker (libonnx 1.12.0): ok"))
        #expect(r.stdout.contains("onnx shape inference (libonnx 1.12.0, strict): ok"))
    }

    @Test func newerModelsSkipLibonnx() {
        let r = runCLI(["check", Fixtures.path("tiny_ir10.onnx")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("onnx checker: skipped: the model is outside libonnx 1.12.0's range "
                                  + "(IR version 10 > 8, ai.onnx opset 21 > 17)"), "\(r.stdout)")
    }

    @Test func strictShapeInferenceFailure() {
        let r = runCLI(["check", Fixtures.path("bad_output_shape.onnx")])
        expectError(r, contains: "onnx shape inference: ")
        #expect(r.stdout.contains("onnx checker (libonnx 1.12.0): ok"))
        #expect(r.stdout.contains("Inferred shape and existing shape differ"))
    }

    @Test func undefinedInputFails() {
        expectError(runCLI(["check", Fixtures.path("unsorted.onnx")]), contains: "missing")
    }

    @Test func unsupportedOpFailsAtPlan() {
        let r = runCLI(["check", Fixtures.path("unknown_op.onnx")])
        expectError(r, contains: "plan: ")
        #expect(r.stderr.contains("Frobnicate") && r.stderr.contains("com.example"), "\(r.stderr)")
        // libonnx accepts custom-domain ops it has no schema for.
        #expect(r.stdout.contains("onnx checker (libonnx 1.12.0): ok"))
    }
}

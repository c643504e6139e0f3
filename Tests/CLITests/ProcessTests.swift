import Foundation
import Testing

/// Where the built `onnxrun` executable is.
enum OnnxrunBinary {
    /// `onnxrun` beside the test bundle, or in the package's .build/debug.
    static let path: String? = {
        let fm = FileManager.default
        var candidates: [String] = []
        if let exe = Bundle.main.executablePath {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("onnxrun").path)
        }
        let args0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(args0.appendingPathComponent("onnxrun").path)
        candidates.append(args0.deletingLastPathComponent().appendingPathComponent("onnxrun").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/onnxrun").path)
        return candidates.first { fm.isExecutableFile(atPath: $0) }
    }()
}

/// The built `onnxrun` executable, run as a child process: exit status, stdout, and stderr's single
/// `error:` line.
@Suite(.enabled(if: OnnxrunBinary.path != nil, "the onnxrun executable is not built"))
struct ProcessTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: OnnxrunBinary.path ?? "/nonexistent")
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func help() throws {
        let r = try Self.run(["--help"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        #expect(r.stdout.contains("SUBCOMMANDS:") && r.stdout.contains("check"))
    }

    @Test(arguments: [
        (["dump", "/no/such/model.onnx"], "error: cannot open '/no/such/model.onnx': No such file or directory\n"),
        (["dump", "/"], "error: '/' is a directory, not a model file\n"),
        (["translate"], "error: Missing expected argument '<model> ...' (see 'onnxrun help')\n"),
        (["/no/such/encoder.onnx", "/no/such/decoder.onnx"], "error: /no/such/encoder.onnx: no such file or directory\n"),
    ])
    func errorsAreOneLineOnStderr(_ arguments: [String], _ expected: String) throws {
        let r = try Self.run(arguments)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == expected)
    }

    @Test func dumpAndRun() throws {
        let d = try Self.run(["dump", Fixtures.path("tiny.onnx")])
        #expect(d.status == 0 && d.stderr.isEmpty, "\(d.stderr)")
        #expect(d.stdout.contains("  out/logits  float[batch,2]"))
        let dir = try TempDir()
        defer { dir.cleanup() }
        let r = try Self.run(["run", Fixtures.path("tiny.onnx"), "--input", "x=" + Fixtures.path("tiny_x.npy"),
                              "--input", "y=" + Fixtures.path("tiny_y.npy"), "--output-dir", dir.path])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("out_logits.npy")))
    }

    @Test func checkFailureExitsNonZero() throws {
        let r = try Self.run(["check", Fixtures.path("bad_output_shape.onnx")])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: check failed: onnx shape inference:"))
        #expect(r.stderr.filter { $0 == "\n" }.count == 1)
    }

    static let wasm = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/wasm").path

    /// `onnxrun wasm`: the committed C guest loads a preloaded graph by name through wasi-nn; its
    /// proc_exit code becomes onnxrun's exit status (8 = not_found for an unknown graph name).
    @Test func wasmGuestRunsAPreloadedGraph() throws {
        let preload = "add_one=\(Self.wasm)/add_one.onnx"
        let ok = try Self.run(["wasm", "\(Self.wasm)/nn_run.wasm", "add_one", "0.5", "-2", "--preload", preload])
        #expect(ok.status == 0 && ok.stdout == "output 0: 2 x f32: 1.5 -1\n", "\(ok.stderr)")
        let missing = try Self.run(["wasm", "\(Self.wasm)/nn_run.wasm", "nope", "--preload", preload])
        #expect(missing.status == 8 && missing.stderr.contains("errno 8 (not_found)"))
    }

    /// The shortlist guest checks wasi-nn's MatMulInteger against its own WebAssembly int8 GEMM.
    @Test func shortlistGuestAgreesWithItsOwnGemm() throws {
        let r = try Self.run(["wasm", "\(Self.wasm)/shortlist.wasm", "--preload", "mmi=\(Self.wasm)/matmul_integer.onnx"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("check: wasi-nn MatMulInteger == wasm int8 GEMM"))
    }
}

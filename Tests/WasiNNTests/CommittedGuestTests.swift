import Foundation
import Testing
import WasiNN
import WasiNNWasmKit

/// The committed guests in testdata/wasm (built by guests/build.sh) run against this host, with
/// their stdout pinned to what guests/README.md documents.
@Suite struct CommittedGuestTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata/wasm")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `guest` with `args` and `preloads` (name → model file in testdata/wasm); returns the
    /// outcome and the guest's stdout.
    static func run(_ guest: String, _ args: [String], preload: [String: String],
                    invoke: String? = nil) throws -> (WasmGuest.Outcome, String) {
        var graphs: [String: NNGraph] = [:]
        for (name, file) in preload { graphs[name] = try NNGraph(path: path(file)) }
        let wasm = Array(try Data(contentsOf: directory.appendingPathComponent(guest)))
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let outcome: WasmGuest.Outcome
        do {
            defer { close(fds[1]) }
            outcome = try WasmGuest.run(wasm: wasm, host: NNHost(preloaded: graphs),
                                        options: WasmGuest.Options(arguments: [guest] + args, stdout: fds[1]),
                                        invoke: invoke)
        }
        let out = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        return (outcome, String(decoding: out, as: UTF8.self))
    }

    @Test func nnRun() throws {
        let (o, out) = try Self.run("nn_run.wasm", ["add_one", "0.5", "-2", "1e3"], preload: ["add_one": "add_one.onnx"])
        #expect(o == .exited(0))
        #expect(out == "output 0: 3 x f32: 1.5 -1 1001\n")
        let (o2, _) = try Self.run("nn_run.wasm", ["nope"], preload: ["add_one": "add_one.onnx"])
        #expect(o2 == .exited(8))
    }

    /// nn_probe: every bad call gets this host's errno; the whole stdout is pinned.
    @Test func nnProbe() throws {
        let (o, out) = try Self.run("nn_probe.wasm", [], preload: ["add_one": "add_one.onnx"])
        #expect(o == .exited(0))
        #expect(out == Self.probeOutput)
    }

    @Test(arguments: [("mmi", "matmul_integer.onnx", [] as [String]), ("mmi_s8", "matmul_integer_s8.onnx", ["--i8"])])
    func shortlist(_ c: (String, String, [String])) throws {
        let (o, out) = try Self.run("shortlist.wasm", c.2 + ["run", "2", "16", "50", "8", "7"], preload: [c.0: c.1])
        #expect(o == .exited(0))
        #expect(out == """
            shortlist: M=2 K=16 V=50 N=8 seed=7 graph=\(c.0)
            row 0: token 47 (shortlist slot 6) logit 1.9083
            row 1: token 30 (shortlist slot 4) logit 1.9470
            check: wasi-nn MatMulInteger == wasm int8 GEMM (16 int32 values, checksum 407545)

            """)
    }

    @Test func embeddedSwiftGuests() throws {
        let (o, out) = try Self.run("swift_command.wasm", ["add_one", "-1.5", "0", "2.25"], preload: ["add_one": "add_one.onnx"])
        #expect(o == .exited(0))
        #expect(out == "add_one([-1.5, 0.0, 2.25]) = [-0.5, 1.0, 3.25]\n")
        let (r, rout) = try Self.run("swift_reactor.wasm", [], preload: ["add_one": "add_one.onnx"], invoke: "run")
        #expect(r == .returned([.i32(0)]))
        #expect(rout == "add_one([1.0, 2.0, 3.0, 4.0]) = [2.0, 3.0, 4.0, 5.0]\n")
        let (r8, _) = try Self.run("swift_reactor.wasm", [], preload: [:], invoke: "run")
        #expect(r8 == .returned([.i32(8)]))
    }

    static let probeOutput = """
        load encoding 99: errno 2 (invalid_encoding)
        load target 9: errno 1 (invalid_argument)
        load garbage bytes: errno 1 (invalid_argument)
        load builders out of bounds: errno 1 (invalid_argument)
        load builder ptr+len overflows: errno 1 (invalid_argument)
        load_by_name unknown: errno 8 (not_found)
        load_by_name name out of bounds: errno 1 (invalid_argument)
        load_by_name ptr+len overflows: errno 1 (invalid_argument)
        load_by_name graph_out out of bounds: errno 1 (invalid_argument)
        init_execution_context bad graph: errno 1 (invalid_argument)
        init_execution_context ctx_out out of bounds: errno 1 (invalid_argument)
        set_input bad context: errno 1 (invalid_argument)
        set_input bad index: errno 1 (invalid_argument)
        set_input record out of bounds: errno 1 (invalid_argument)
        set_input record ptr overflows: errno 1 (invalid_argument)
        set_input type 6: errno 1 (invalid_argument)
        set_input type 255: errno 1 (invalid_argument)
        set_input type u8 for f32 input: errno 1 (invalid_argument)
        set_input dims out of bounds: errno 1 (invalid_argument)
        set_input dims_len huge: errno 1 (invalid_argument)
        set_input data out of bounds: errno 1 (invalid_argument)
        set_input data ptr+len overflows: errno 1 (invalid_argument)
        set_input data_len != dims: errno 1 (invalid_argument)
        set_input wrong rank: errno 1 (invalid_argument)
        set_input padding bytes nonzero: errno 0 (success)
        compute bad context: errno 1 (invalid_argument)
        get_output buffer too small: errno 7 (too_large)
        get_output buffer too small: buffer and bytes_written untouched: yes
        get_output bad context: errno 1 (invalid_argument)
        get_output bad index: errno 1 (invalid_argument)
        get_output buffer out of bounds: errno 1 (invalid_argument)
        get_output buffer ptr+len overflows: errno 1 (invalid_argument)
        get_output bytes_written out of bounds: errno 1 (invalid_argument)
        normal run: 16 bytes: 2 3 4 5
        probe: ok

        """
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import WasiNN
import WasiNNWasmKit

/// `onnxrun wasm guest.wasm [args...] --preload NAME=model.onnx ... [--dir DIR] [--invoke FUNC]`.
struct Wasm: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a WebAssembly guest (WASI preview1) with wasi-nn serving ONNX graphs.",
        discussion: """
            The guest imports wasi_ephemeral_nn (witx, encoding onnx = 1, target cpu = 0) and the \
            onnxrun_nn extensions (describe_graph, get_output_shape, set_input_by_name, \
            get_output_by_name, last_error; see docs/wasi-nn.md). Graphs are preloaded by the host \
            with --preload NAME=model.onnx and loaded by the guest with load_by_name("NAME"); a \
            guest never names a host path. Files are reachable only under --dir directories.

            A command guest runs _start and its proc_exit code becomes onnxrun's exit status. With \
            --invoke FUNC, a reactor runs _initialize (if exported) and then FUNC, which must take \
            no parameters; its results are printed one per line. Arguments after the guest file \
            that are not onnxrun options, and all after the first '--', are passed to the guest \
            (its argv[0] is the guest path).
            """)

    @Argument(help: "The .wasm guest.")
    var guest: String

    @Argument(parsing: .allUnrecognized, help: "Arguments for the guest.")
    var arguments: [String] = []

    @Option(name: .customLong("preload"),
            help: ArgumentHelp("A graph the guest may load by name, as NAME=model.onnx (repeatable).",
                               valueName: "name=model.onnx"))
    var preloads: [String] = []

    @Option(name: .customLong("dir"),
            help: ArgumentHelp("A host directory the guest may open, as DIR or HOST::GUEST (repeatable).",
                               valueName: "dir"))
    var dirs: [String] = []

    @Option(help: ArgumentHelp("Run this exported function of a reactor instead of _start.", valueName: "func"))
    var invoke: String?

    @Flag(help: "Number tensor types as WasmEdge does (f16 0, f32 1, u8 2, i32 3) instead of the spec.")
    var legacyTensorTypes = false

    @Flag(help: "Refuse load (models from guest memory): only --preload graphs run.")
    var preloadedOnly = false

    @Option(help: ArgumentHelp("Trap after about this many executed wasm operators.", valueName: "n"))
    var fuel: UInt64?

    func execute(_ out: Output) throws(CLIError) {
        var graphs: [String: NNGraph] = [:]
        for p in preloads {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw CLIError("--preload expects NAME=model.onnx, got '\(p)'")
            }
            let name = String(p[..<eq]), path = String(p[p.index(after: eq)...])
            guard graphs[name] == nil else { throw CLIError("graph name '\(name)' is preloaded twice") }
            try ModelFile.validate(path)
            do { graphs[name] = try NNGraph(path: path) } catch { throw CLIError("\(path): \(error.message)") }
        }
        var preopens: [(guest: String, host: String)] = []
        for d in dirs {
            if let r = d.range(of: "::") {
                preopens.append((guest: String(d[r.upperBound...]), host: String(d[..<r.lowerBound])))
            } else {
                preopens.append((guest: d, host: d))
            }
        }
        let bytes = try Wasm.read(guest)
        let host = NNHost(preloaded: graphs,
                          options: NNHost.Options(numbering: legacyTensorTypes ? .wasmEdgeLegacy : .spec,
                                                 allowsGuestModels: !preloadedOnly))
        // The first '--' only ends onnxrun's options; it is not the guest's.
        var guestArguments = arguments
        if let t = guestArguments.firstIndex(of: "--") { guestArguments.remove(at: t) }
        let options = WasmGuest.Options(arguments: [guest] + guestArguments, preopens: preopens, fuel: fuel)
        out.flush()
        let outcome: WasmGuest.Outcome
        do {
            outcome = try WasmGuest.run(wasm: bytes, host: host, options: options, invoke: invoke)
        } catch {
            throw CLIError(error.description)
        }
        switch outcome {
        case .returned(let values):
            for v in WasmGuest.format(values) { out.line(v) }
        case .exited(let code) where code != 0:
            // The guest's proc_exit status is onnxrun's exit status, as in other runtimes.
            out.flush()
            Glibc.exit(Int32(truncatingIfNeeded: code))
        case .exited:
            break
        }
    }

    /// The bytes of the guest file (checked to be a readable regular file first).
    static func read(_ path: String) throws(CLIError) -> [UInt8] {
        try ModelFile.validate(path)
        guard let f = fopen(path, "rb") else { throw CLIError("\(path): cannot open") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        guard ferror(f) == 0 else { throw CLIError("\(path): read error") }
        return bytes
    }
}

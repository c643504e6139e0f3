#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ONNXGraph
import Passes

/// `onnxrun run model.onnx --input name=file.npy ... [--output-dir DIR]`.
struct Run: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model on NumPy .npy inputs and write its outputs as .npy files.",
        discussion: """
            Inputs: one --input NAME=FILE.npy per model input (split at the first '='). Every input \
            without an initializer default is required; unknown names are errors. Supported .npy \
            dtypes: <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1, little-endian, C order \
            (format 1.0/2.0/3.0); Fortran order, object, string and big-endian arrays are refused.

            numpy has no bfloat16: a bfloat16 input takes a <f4 array (rounded to nearest even) or \
            a <u2 array of bit patterns, and bfloat16 outputs are written as <f4. float8/float4 \
            tensors travel as |u1 bit patterns, int4/int2 as |i1, uint4/uint2 as |u1.

            Outputs: each model output is written to DIR/<name>.npy. Output names are sanitized so \
            nothing escapes DIR: characters other than letters, digits, '_', '-' and '.' (such as \
            '/') become '_', a leading '.' gets a '_' prefix, and clashing names get _2, _3, ... \
            The file written for each output is printed. Without --output-dir, each output's type \
            and first values are printed instead.
            """)

    @Argument(help: "The .onnx model file.")
    var model: String

    @Option(name: .customLong("input"), help: ArgumentHelp("An input as NAME=FILE.npy (repeatable).",
                                                           valueName: "name=file.npy"))
    var inputs: [String] = []

    @Option(name: .customLong("output-dir"),
            help: ArgumentHelp("Directory for the outputs (created if missing); names are sanitized, see above.",
                               valueName: "dir"))
    var outputDir: String?

    @Flag(help: "Plan the graph as loaded, without the pass pipeline (fusions).")
    var noPasses = false

    @Flag(help: "Print one line with the time spent loading, reading inputs, planning, running and writing.")
    var timing = false

    func execute(_ out: Output) throws(CLIError) {
        var clock = Timing()
        let pairs = try parseInputArguments(inputs)
        let loaded = try Engine.load(model)
        clock.mark("load")
        let graph = loaded.graph
        let declared = Dictionary(graph.inputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, _) in pairs where declared[name] == nil {
            let known = graph.inputs.map { "'\($0.name)'" }.joined(separator: ", ")
            throw CLIError("the model has no input '\(name)' (its inputs: \(known.isEmpty ? "none" : known))")
        }
        let given = Set(pairs.map(\.0))
        let missing = graph.requiredInputs.map(\.name).filter { !given.contains($0) }
        _ = consume graph  // the session keeps what it needs; packed weights' originals can go
        if !missing.isEmpty {
            throw CLIError("missing required input\(missing.count == 1 ? "" : "s") "
                           + missing.map { "'\($0)'" }.joined(separator: ", ") + " (pass --input NAME=FILE.npy)")
        }
        if let outputDir { try prepareDirectory(outputDir) }

        var feeds: [String: Tensor] = [:]
        for (name, file) in pairs {
            let read: (header: NpyHeader, tensor: Tensor)
            do { read = try NpyFile.read(file) } catch { throw CLIError("input '\(name)' ('\(file)'): \(error)") }
            let type = declared[name]?.type
            let tensor = try NpyConversion.input(read.tensor, dtype: read.header.dtype, expected: type?.dataType,
                                                 name: name)
            try checkShape(tensor.shape, against: type?.dims, name: name)
            feeds[name] = tensor
        }

        clock.mark("inputs")
        let session = try Engine.session(consume loaded, passes: noPasses ? PassPipeline.none : nil)
        clock.mark("plan")
        let results = try Engine.run(session, feeds)
        clock.mark("run")
        let names = session.outputs.map(\.name)
        let files = OutputNames.fileNames(for: names)
        for (name, file) in zip(names, files) {
            guard let tensor = results[name] else { throw CLIError("the model produced no value for output '\(name)'") }
            let (dtype, carrier) = try NpyConversion.output(tensor, name: name)
            let typeText = "\(tensor.dataType)[\(tensor.shape.map(String.init).joined(separator: ","))]"
            if let outputDir {
                let path = outputDir.hasSuffix("/") ? outputDir + file : outputDir + "/" + file
                do {
                    try NpyFile.write(path, header: NpyHeader(dtype: dtype, shape: carrier.shape), data: carrier.data,
                                      byteCount: carrier.byteCount)
                } catch {
                    throw CLIError("output '\(name)': \(error)")
                }
                out.line("\(name): \(typeText) -> \(path)")
            } else {
                out.line("\(name): \(typeText) \(TensorPreview.text(carrier, dtype: dtype))")
            }
        }
        clock.mark("output")
        if timing { out.line(clock.line) }
    }

    /// Splits each `NAME=FILE` at its first `=`; rejects empty parts and repeated names.
    func parseInputArguments(_ args: [String]) throws(CLIError) -> [(String, String)] {
        var seen = Set<String>()
        var pairs: [(String, String)] = []
        for arg in args {
            guard let eq = arg.firstIndex(of: "=") else {
                throw CLIError("--input '\(arg)' is not NAME=FILE.npy")
            }
            let name = String(arg[..<eq]), file = String(arg[arg.index(after: eq)...])
            guard !name.isEmpty, !file.isEmpty else { throw CLIError("--input '\(arg)' is not NAME=FILE.npy") }
            guard seen.insert(name).inserted else { throw CLIError("input '\(name)' is given twice") }
            pairs.append((name, file))
        }
        return pairs
    }

    /// Rank and every fixed dimension must match the model's declaration; symbolic dims accept any extent.
    func checkShape(_ shape: [Int], against dims: [Dim]?, name: String) throws(CLIError) {
        guard let dims else { return }
        let declared = "[" + dims.map(\.description).joined(separator: ",") + "]"
        let given = "[" + shape.map(String.init).joined(separator: ",") + "]"
        guard dims.count == shape.count else {
            throw CLIError("input '\(name)' has shape \(given) but the model declares \(declared)")
        }
        for (d, n) in zip(dims, shape) {
            if case .value(let v) = d, v != n {
                throw CLIError("input '\(name)' has shape \(given) but the model declares \(declared)")
            }
        }
    }

    /// Creates `path` (and parents) if missing; fails when it exists but is not a directory.
    func prepareDirectory(_ path: String) throws(CLIError) {
        guard !path.isEmpty else { throw CLIError("--output-dir is empty") }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw CLIError("--output-dir '\(path)' is not a directory") }
            return
        }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if stat(prefix, &info) != 0 && mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw CLIError("cannot create --output-dir '\(path)': \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }
}

import ArgumentParser
import ONNXGraph

/// `onnxrun check model.onnx`: structural validation, plan building, and libonnx 1.12's checker and
/// strict shape inference when the model is within that library's IR/opset range.
struct Check: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a model: load it, build an execution plan, and run libonnx's checker and strict "
            + "shape inference when the model is within libonnx 1.12's range (IR <= 8, ai.onnx opset <= 17).",
        discussion: """
            Prints one line per step. Exits non-zero if any step fails. For models newer than libonnx \
            1.12 understands, the libonnx steps are reported as skipped (the loader and plan steps \
            still run).
            """)

    @Argument(help: "The .onnx model file.")
    var model: String

    func execute(_ out: Output) throws(CLIError) {
        let loaded: Model
        do {
            loaded = try Engine.load(model)
        } catch {
            out.line("load: FAILED")
            throw error
        }
        let opsets = loaded.opsetImports.sorted { $0.key < $1.key }
            .map { "\($0.key.isEmpty ? "ai.onnx" : $0.key) \($0.value)" }.joined(separator: ", ")
        out.line("load: ok (IR \(loaded.irVersion); opsets \(opsets.isEmpty ? "none" : opsets); "
                 + "\(loaded.graph.totalNodeCount) node\(loaded.graph.totalNodeCount == 1 ? "" : "s"))")

        var failures: [String] = []
        do {
            _ = try Engine.session(loaded)
            out.line("plan: ok")
        } catch {
            out.line("plan: FAILED: \(error.message)")
            failures.append("plan: \(error.message)")
        }

        let lib = "libonnx \(LibOnnx.version)"
        if let why = LibOnnx.outOfRange(loaded, fileSize: ModelFile.size(model)) {
            out.line("onnx checker: skipped: the model is outside \(lib)'s range (\(why))")
            out.line("onnx shape inference: skipped: the model is outside \(lib)'s range (\(why))")
        } else {
            if let message = LibOnnx.checkModel(path: model) {
                out.line("onnx checker (\(lib)): FAILED: \(message)")
                failures.append("onnx checker: \(message)")
            } else {
                out.line("onnx checker (\(lib)): ok")
            }
            if let message = LibOnnx.inferShapes(path: model) {
                out.line("onnx shape inference (\(lib), strict): FAILED: \(message)")
                failures.append("onnx shape inference: \(message)")
            } else {
                out.line("onnx shape inference (\(lib), strict): ok")
            }
        }
        if !failures.isEmpty {
            throw CLIError("check failed: " + failures.joined(separator: "; "))
        }
    }
}

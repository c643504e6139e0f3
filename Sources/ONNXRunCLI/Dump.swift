import ArgumentParser

/// `onnxrun dump model.onnx`: what a model holds, without running it.
struct Dump: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a model's IR version, producer, opsets, inputs and outputs, op histogram, "
            + "initializer totals and metadata.")

    @Argument(help: "The .onnx model file.")
    var model: String

    func execute(_ out: Output) throws(CLIError) {
        let loaded = try Engine.load(model)
        for line in ModelSummary.lines(loaded, path: model) { out.line(line) }
    }
}

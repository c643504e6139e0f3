import ArgumentParser

/// `onnxrun dump model.onnx`: what a model holds, without running it.
struct Dump: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a model's IR version, producer, opsets, inputs and outputs, op histogram, "
            + "initializer totals and metadata.")

    @Argument(help: "The .onnx model file.")
    var model: String

    @Flag(help: "Print one more line with the time spent loading the model.")
    var timing = false

    func execute(_ out: Output) throws(CLIError) {
        var clock = Timing()
        let loaded = try Engine.load(model)
        clock.mark("load")
        for line in ModelSummary.lines(loaded, path: model) { out.line(line) }
        if timing { out.line(clock.line) }
    }
}

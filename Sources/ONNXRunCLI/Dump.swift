import ArgumentParser
import Passes

/// `onnxrun dump model.onnx`: what a model holds, without running it.
struct Dump: OutputCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a model's IR version, producer, opsets, inputs and outputs, op histogram, "
            + "initializer totals and metadata.")

    @Argument(help: "The .onnx model file.")
    var model: String

    @Flag(help: "Run the standard pass pipeline first: describe the rewritten model, then what each pass changed.")
    var passes = false

    @Flag(help: "Like --passes, and list every rewrite.")
    var tracePasses = false

    @Flag(help: "Print one more line with the time spent loading the model.")
    var timing = false

    func execute(_ out: Output) throws(CLIError) {
        var clock = Timing()
        var loaded = try Engine.load(model)
        clock.mark("load")
        var report: PassReport?
        if passes || tracePasses {
            do { report = try PassPipeline.standard.run(on: &loaded) } catch { throw CLIError(error.description) }
            clock.mark("passes")
        }
        for line in ModelSummary.lines(loaded, path: model) { out.line(line) }
        if let report { for line in report.lines(trace: tracePasses) { out.line(line) } }
        if timing { out.line(clock.line) }
    }
}

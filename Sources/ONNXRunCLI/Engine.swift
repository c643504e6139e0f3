import ONNXGraph

/// How the subcommands reach the loader and the interpreter.
protocol ModelRunner {
    var inputs: [ValueInfo] { get }
    var outputs: [ValueInfo] { get }
    func run(_ inputs: [String: Tensor]) throws(CLIError) -> [String: Tensor]
}

enum Engine {
    /// Loads the model at `path` (checked to be a readable regular file first).
    static func load(_ path: String) throws(CLIError) -> Model {
        try ModelFile.validate(path)
        throw CLIError("the model loader is not available in this build")
    }

    /// Builds an execution plan; unsupported ops fail here.
    static func session(_ model: Model) throws(CLIError) -> any ModelRunner {
        throw CLIError("the interpreter is not available in this build")
    }
}

import Interpreter
import ONNXGraph
import ONNXLoader
import Passes

enum Engine {
    /// Loads the model at `path` (checked to be a readable regular file first).
    static func load(_ path: String) throws(CLIError) -> Model {
        try ModelFile.validate(path)
        do {
            return try ModelLoader.load(path: path)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Builds an execution plan; unsupported ops fail here. The session takes the model's packed
    /// weights (the model must not be used afterwards). `passes` nil: the default pipeline.
    static func session(_ model: Model, passes: PassPipeline? = nil) throws(CLIError) -> Session {
        var options = SessionOptions(consumesPackedInitializers: true)
        if let passes { options.passes = passes }
        do {
            return try Session(model: model, options: options)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Runs `session` on `feeds`.
    static func run(_ session: Session, _ feeds: [String: Tensor]) throws(CLIError) -> [String: Tensor] {
        do {
            return try session.run(feeds)
        } catch {
            throw CLIError(error.description)
        }
    }
}

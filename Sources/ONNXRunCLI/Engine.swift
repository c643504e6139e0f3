import Interpreter
import ONNXGraph
import ONNXLoader

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
    /// weights (the model must not be used afterwards).
    static func session(_ model: Model) throws(CLIError) -> Session {
        do {
            return try Session(model: model, options: SessionOptions(consumesPackedInitializers: true))
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

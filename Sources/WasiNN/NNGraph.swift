import Interpreter
import ONNXGraph
import ONNXLoader

/// A loaded and planned ONNX model, ready to serve any number of execution contexts.
///
/// Inputs are addressed by index in the order the model declares its **required** inputs (graph
/// inputs without an initializer default); inputs with a default are reachable by name only.
/// Outputs are addressed in the model's declared output order. Planning happens once, here.
public final class NNGraph: Sendable {
    let session: Session
    /// The inputs `set_input` indexes.
    public let inputs: [ValueInfo]
    /// Every graph input, including those with an initializer default (settable by name).
    public let allInputs: [ValueInfo]
    public let outputs: [ValueInfo]

    /// Plans `model`. Unsupported ops fail with `unsupported_operation`. With `consumingWeights`,
    /// weights packed for a kernel are taken out of `model` (which must not be used afterwards), so
    /// they are not resident twice.
    public init(model: Model, consumingWeights: Bool = false) throws(NNError) {
        inputs = model.graph.requiredInputs
        allInputs = model.graph.inputs
        outputs = model.graph.outputs
        do {
            session = try Session(model: model, options: SessionOptions(consumesPackedInitializers: consumingWeights))
        } catch {
            throw NNError(.unsupportedOperation, error.description)
        }
    }

    /// Loads the ONNX `ModelProto` in `bytes` (the `onnx` graph encoding). External data is refused:
    /// a guest never names a host file.
    public convenience init(onnx bytes: UnsafeRawBufferPointer, name: String = "builder") throws(NNError) {
        let model: Model
        do {
            model = try ModelLoader.load(bytes: bytes, name: name, baseDirectory: nil)
        } catch {
            throw NNError(.invalidArgument, error.description)
        }
        try self.init(model: model, consumingWeights: true)
    }

    /// Loads the model file at `path` (host side: external data next to it is allowed).
    public convenience init(path: String) throws(NNError) {
        let model: Model
        do {
            model = try ModelLoader.load(path: path)
        } catch {
            throw NNError(.notFound, error.description)
        }
        try self.init(model: model, consumingWeights: true)
    }

    /// The index of the required input called `name`, or nil.
    func inputInfo(named name: String) -> ValueInfo? {
        allInputs.first { $0.name == name }
    }

    /// Checks `type` and `shape` against what the model declares for `info`.
    static func check(_ info: ValueInfo, type: NNTensorType, shape: [Int]) throws(NNError) {
        guard let declared = info.type else { return }
        if let dt = declared.dataType, dt != type.dataType {
            throw NNError.argument("input '\(info.name)' is \(dt), got \(type) (\(type.dataType))")
        }
        guard let dims = declared.dims else { return }
        guard dims.count == shape.count else {
            throw NNError.argument("input '\(info.name)' has rank \(dims.count) (\(declared)), got dims \(shape)")
        }
        for (axis, (dim, actual)) in zip(dims, shape).enumerated() {
            if case .value(let v) = dim, v != actual {
                throw NNError.argument("input '\(info.name)' dimension \(axis) must be \(v) (\(declared)), got dims \(shape)")
            }
        }
    }
}

import ONNXGraph
import Ops
import Passes
import Synchronization

/// Options for a session.
public struct SessionOptions: Sendable {
    /// The operators available to the plan.
    public var registry: OpRegistry
    /// When true, the session takes the model's weights: an initializer packed into a kernel layout
    /// is removed from `model.graph` as soon as it is packed, so the model and its packed copy are
    /// never both resident (peak memory near the weights' size). The caller must not use the model
    /// afterwards.
    public var consumesPackedInitializers: Bool
    /// When true, `run` may return padded tensors (`Tensor.isDense == false`): a graph output that
    /// an op appended in place into a padded input (a KV cache `Concat`) comes back as that padded
    /// view, so the caller can feed it to the next run and have the append happen in place again.
    /// When false (the default) every output is dense (`isDense`: a padded one is copied unless its
    /// capacity is full, which lays it out densely).
    public var returnsPaddedOutputs: Bool

    /// Graph rewrites run before planning (default: `PassPipeline.fromEnvironment`, the standard
    /// pipeline unless `ONNXRUN_PASSES=none`; `.none` plans the graph as loaded). The caller's model
    /// is not visibly changed: passes rewrite a private copy of its graphs, except when
    /// `consumesPackedInitializers` is set, where the session owns the model and rewrites it in place
    /// (a copy would keep every original weight alive while its packed copy is built).
    public var passes: PassPipeline

    public init(registry: OpRegistry = .standard, consumesPackedInitializers: Bool = false,
                returnsPaddedOutputs: Bool = false, passes: PassPipeline = .fromEnvironment) {
        self.registry = registry
        self.consumesPackedInitializers = consumesPackedInitializers
        self.returnsPaddedOutputs = returnsPaddedOutputs
        self.passes = passes
    }
}

/// A model ready to run: its plan is built once (ops resolved, constants folded, buffers planned),
/// then `run` evaluates it any number of times, reusing buffers between runs.
///
/// Calls to `run` on one session are serialized; use one session per thread for parallel work.
/// All memory (plan, constants, pooled buffers) is released when the session goes away.
public final class Session: Sendable {
    private let plan: ExecutionPlanBox
    private let frame: Mutex<FrameBox>
    private let returnsPaddedOutputs: Bool

    /// The inputs a caller may feed (those with an initializer default are optional).
    public let inputs: [ValueInfo]
    public let outputs: [ValueInfo]

    /// Plans `model`'s main graph. Throws naming the first unsupported op (domain, type, opset, node)
    /// or malformed node.
    public init(model: Model, options: SessionOptions = SessionOptions()) throws(InterpreterError) {
        var model = model
        do {
            if options.passes.isEmpty {
                passReport = PassReport()
            } else if options.consumesPackedInitializers {
                passReport = try options.passes.run(on: &model, registry: options.registry)
            } else {
                (model, passReport) = try options.passes.run(copying: model, registry: options.registry)
            }
        } catch { throw InterpreterError(.plan(error.description)) }
        let plan = try ExecutionPlan(graph: model.graph, opsets: model.opsetImports, registry: options.registry,
                                     consumesPackedInitializers: options.consumesPackedInitializers)
        self.plan = ExecutionPlanBox(plan)
        self.frame = Mutex(FrameBox(Frame(plan: plan, pool: BufferPool())))
        self.returnsPaddedOutputs = options.returnsPaddedOutputs
        self.inputs = model.graph.inputs
        self.outputs = model.graph.outputs
    }

    /// What the pass pipeline rewrote before planning.
    public let passReport: PassReport

    /// Known type of every value after planning (declared, constant or inferred).
    public var valueTypes: [String: TensorType] { plan.plan.valueTypes }

    /// Number of op calls one run makes (after constant folding).
    public var stepCount: Int { plan.plan.steps.count }

    /// Runs the model on `feeds` (by input name) and returns every graph output by name.
    /// Feeds may be padded tensors; outputs are dense unless `SessionOptions.returnsPaddedOutputs`.
    /// Inputs are checked against the declared element type, rank and static dimensions. Symbolic
    /// dimensions are not required to agree across inputs, as in ONNX Runtime: exports rely on it
    /// (a merged decoder's empty first-step past shares its length's name with the encoder output).
    public func run(_ feeds: [String: Tensor]) throws(InterpreterError) -> [String: Tensor] {
        try frame.withLock { (box) throws(InterpreterError) -> [String: Tensor] in
            let frame = box.frame
            defer { frame.clear() }
            try bind(feeds, into: frame)
            try frame.execute()
            var results: [String: Tensor] = [:]
            for (name, s) in frame.plan.outputs {
                guard let t = frame.slots[Int(s)] else {
                    throw InterpreterError(.execution("graph output '\(name)' has no value"))
                }
                if t.isDense || returnsPaddedOutputs {
                    results[name] = t
                } else {
                    do { results[name] = try t.densified() }
                    catch { throw InterpreterError(.execution("graph output '\(name)': \(error)")) }
                }
            }
            return results
        }
    }

    private func bind(_ feeds: [String: Tensor], into frame: Frame) throws(InterpreterError) {
        let plan = frame.plan
        for name in feeds.keys where !plan.inputs.contains(where: { $0.info.name == name }) {
            let known = plan.inputs.map(\.info.name).joined(separator: ", ")
            throw InterpreterError(.input(name: name, problem: "the model has no such input (inputs: \(known))"))
        }
        for (info, slot, fallback) in plan.inputs {
            guard let tensor = feeds[info.name] ?? fallback else {
                throw InterpreterError(.input(name: info.name, problem: "required input is missing"))
            }
            if feeds[info.name] != nil, let type = info.type {
                try Session.check(tensor, against: type, name: info.name)
            }
            frame.slots[Int(slot)] = tensor
            if tensor.isPadded { frame.hasPaddedValues = true }
        }
    }

    private static func check(_ tensor: Tensor, against type: TensorType, name: String) throws(InterpreterError) {
        if let dt = type.dataType, dt != tensor.dataType {
            throw InterpreterError(.input(name: name, problem: "expected element type \(dt), got \(tensor.dataType)"))
        }
        guard let dims = type.dims else { return }
        guard dims.count == tensor.rank else {
            throw InterpreterError(.input(name: name, problem: "expected rank \(dims.count) (\(type)), got shape \(tensor.shape)"))
        }
        for (axis, (dim, actual)) in zip(dims, tensor.shape).enumerated() {
            if case .value(let v) = dim, v != actual {
                throw InterpreterError(.input(name: name, problem: "dimension \(axis) must be \(v) (\(type)), got shape \(tensor.shape)"))
            }
        }
    }
}

/// The plan is immutable after construction; it is shared read-only.
private final class ExecutionPlanBox: @unchecked Sendable {
    let plan: ExecutionPlan
    init(_ plan: ExecutionPlan) { self.plan = plan }
}

/// The frame is only touched under the session's lock.
private struct FrameBox: @unchecked Sendable {
    let frame: Frame
    init(_ frame: Frame) { self.frame = frame }
}

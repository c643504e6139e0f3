import Interpreter
import ONNXGraph

/// The wasi-nn state of one guest (or one Swift caller): graphs, execution contexts, and the
/// graphs the host preloaded by name.
///
/// This is the engine-agnostic semantics of `wasi_ephemeral_nn` for the `onnx` encoding; an engine
/// bridge (`WasiNNWasmKit`) only moves bytes between guest memory and these calls. Every call
/// either succeeds or throws ``NNError`` carrying the `nn_errno` a guest sees; the message of the
/// last failure stays in ``lastError``.
///
/// Handles are `u32` indices; graph and context handles are never reused. Not thread-safe: one
/// host serves one guest instance (use one per thread).
public final class NNHost {
    /// Host options.
    public struct Options: Sendable {
        /// The `tensor_type` numbering guests use (`--legacy-tensor-types` selects WasmEdge's).
        public var numbering: TensorTypeNumbering
        /// Most graphs `load` may create (preloaded graphs are not counted); beyond: `too_large`.
        public var maxLoadedGraphs: Int
        /// Most execution contexts; beyond: `too_large`.
        public var maxContexts: Int
        /// Whether `load` accepts model bytes from the guest. A guest's own model can cost any
        /// amount of host time in `compute` (fuel meters only wasm code); when false, `load`
        /// answers `unsupported_operation` and only preloaded graphs run.
        public var allowsGuestModels: Bool

        public init(numbering: TensorTypeNumbering = .spec, maxLoadedGraphs: Int = 64, maxContexts: Int = 4096,
                    allowsGuestModels: Bool = true) {
            self.numbering = numbering
            self.maxLoadedGraphs = maxLoadedGraphs
            self.maxContexts = maxContexts
            self.allowsGuestModels = allowsGuestModels
        }
    }

    final class Context {
        let graph: NNGraph
        var inputs: [String: Tensor] = [:]
        /// Filled by `compute`, in the graph's output order.
        var outputs: [Tensor]?
        init(graph: NNGraph) { self.graph = graph }
    }

    public let options: Options
    private var preloaded: [String: NNGraph]
    private var graphs: [NNGraph] = []
    private var byName: [String: UInt32] = [:]
    private var loadedCount = 0
    private var contexts: [Context] = []
    /// The message of the last failed call.
    public private(set) var lastError: String?

    /// A host serving `preloaded` graphs to `load_by_name`.
    public init(preloaded: [String: NNGraph] = [:], options: Options = Options()) {
        self.preloaded = preloaded
        self.options = options
    }

    /// Makes `graph` loadable by `name` (replacing an earlier graph of that name for later loads).
    public func preload(_ name: String, _ graph: NNGraph) {
        preloaded[name] = graph
        byName[name] = nil
    }

    /// Names `load_by_name` accepts.
    public var preloadedNames: [String] { preloaded.keys.sorted() }

    /// Records a failure found outside the host (e.g. a bad guest pointer) as ``lastError``.
    package func recordFailure(_ error: NNError) {
        lastError = error.message
    }

    /// Runs `body`, recording a failure's message in `lastError`.
    @inline(__always)
    func recording<R>(_ body: () throws(NNError) -> R) throws(NNError) -> R {
        do { return try body() } catch { lastError = error.message; throw error }
    }

    // MARK: graphs

    /// `load`: builds a graph from `builders` (exactly one, an ONNX `ModelProto`).
    public func load(builders: [UnsafeRawBufferPointer], encoding: UInt32, target: UInt32) throws(NNError) -> UInt32 {
        try recording { () throws(NNError) -> UInt32 in
            try checkEncoding(encoding, target: target, builderCount: builders.count)
            guard loadedCount < options.maxLoadedGraphs else {
                throw NNError(.tooLarge, "at most \(options.maxLoadedGraphs) graphs may be loaded")
            }
            let graph = try NNGraph(onnx: builders[0])
            loadedCount += 1
            return try add(graph)
        }
    }

    /// The checks `load` makes before reading any builder bytes.
    public func checkEncoding(_ encoding: UInt32, target: UInt32, builderCount: Int) throws(NNError) {
        try recording { () throws(NNError) in
            guard let e = GraphEncoding(rawValue: encoding) else {
                throw NNError(.invalidEncoding, "unknown graph encoding \(encoding)")
            }
            guard e == .onnx else { throw NNError(.invalidEncoding, "graph encoding \(e) is not served (only onnx = 1)") }
            guard let t = ExecutionTarget(rawValue: target) else {
                throw NNError.argument("unknown execution target \(target)")
            }
            guard t == .cpu else { throw NNError(.unsupportedOperation, "execution target \(t) is not served (only cpu = 0)") }
            guard options.allowsGuestModels else {
                throw NNError(.unsupportedOperation, "this host runs preloaded graphs only (load_by_name)")
            }
            guard builderCount == 1 else {
                throw NNError.argument("the onnx encoding takes exactly one builder (one ModelProto), got \(builderCount)")
            }
        }
    }

    /// `load_by_name`: the handle of the preloaded graph `name` (the same handle every time).
    public func loadByName(_ name: String) throws(NNError) -> UInt32 {
        try recording { () throws(NNError) -> UInt32 in
            if let h = byName[name] { return h }
            guard let graph = preloaded[name] else {
                throw NNError(.notFound, "no preloaded graph named '\(name)'")
            }
            let h = try add(graph)
            byName[name] = h
            return h
        }
    }

    /// `load_by_name` with the name as UTF-8 bytes (not NUL-terminated).
    public func loadByName(utf8 bytes: UnsafeRawBufferPointer) throws(NNError) -> UInt32 {
        try loadByName(String(decoding: bytes, as: UTF8.self))
    }

    private func add(_ graph: NNGraph) throws(NNError) -> UInt32 {
        guard graphs.count < Int(UInt32.max) else { throw NNError(.tooLarge, "graph handles exhausted") }
        graphs.append(graph)
        return UInt32(graphs.count - 1)
    }

    /// The graph behind `handle`.
    public func graph(_ handle: UInt32) throws(NNError) -> NNGraph {
        try recording { () throws(NNError) -> NNGraph in
            guard Int(handle) < graphs.count else { throw NNError.argument("no graph with handle \(handle)") }
            return graphs[Int(handle)]
        }
    }

    // MARK: execution

    /// `init_execution_context`.
    public func initExecutionContext(_ graph: UInt32) throws(NNError) -> UInt32 {
        let g = try self.graph(graph)
        return try recording { () throws(NNError) -> UInt32 in
            guard contexts.count < options.maxContexts else {
                throw NNError(.tooLarge, "at most \(options.maxContexts) execution contexts")
            }
            contexts.append(Context(graph: g))
            return UInt32(contexts.count - 1)
        }
    }

    func context(_ handle: UInt32) throws(NNError) -> Context {
        guard Int(handle) < contexts.count else { throw NNError.argument("no execution context with handle \(handle)") }
        return contexts[Int(handle)]
    }

    /// The index-addressable inputs of context `ctx`'s graph.
    public func inputs(of ctx: UInt32) throws(NNError) -> [ValueInfo] {
        try recording { () throws(NNError) in try context(ctx).graph.inputs }
    }

    /// `set_input`: input `index` (among the graph's required inputs) from a wire type code, dims and
    /// the raw bytes (copied). The type, rank, static dims and byte count must match the model.
    public func setInput(_ ctx: UInt32, index: UInt32, typeCode: UInt32, dimensions: [Int],
                         data: UnsafeRawBufferPointer) throws(NNError) {
        try recording { () throws(NNError) in
            let c = try context(ctx)
            guard Int(index) < c.graph.inputs.count else {
                throw NNError.argument("input index \(index) out of range (the graph has \(c.graph.inputs.count) inputs)")
            }
            try set(c, c.graph.inputs[Int(index)], typeCode: typeCode, dimensions: dimensions, data: data)
        }
    }

    /// Sets the input called `name` (any graph input, including those with a default).
    public func setInput(_ ctx: UInt32, name: String, typeCode: UInt32, dimensions: [Int],
                         data: UnsafeRawBufferPointer) throws(NNError) {
        try recording { () throws(NNError) in
            let c = try context(ctx)
            guard let info = c.graph.inputInfo(named: name) else {
                throw NNError(.notFound, "the graph has no input named '\(name)'")
            }
            try set(c, info, typeCode: typeCode, dimensions: dimensions, data: data)
        }
    }

    /// `set_input` from the Swift API.
    public func setInput(_ ctx: UInt32, index: UInt32, _ tensor: NNTensor) throws(NNError) {
        let code = try wireCode(tensor.type)
        try NNHost.withBytes(tensor.data) { (raw) throws(NNError) in
            try setInput(ctx, index: index, typeCode: code, dimensions: tensor.dimensions, data: raw)
        }
    }

    /// Sets input `name` from the Swift API.
    public func setInput(_ ctx: UInt32, name: String, _ tensor: NNTensor) throws(NNError) {
        let code = try wireCode(tensor.type)
        try NNHost.withBytes(tensor.data) { (raw) throws(NNError) in
            try setInput(ctx, name: name, typeCode: code, dimensions: tensor.dimensions, data: raw)
        }
    }

    private static func withBytes(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(NNError) -> Void) throws(NNError) {
        var failure: NNError?
        bytes.withUnsafeBytes { raw in
            do throws(NNError) { try body(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func wireCode(_ type: NNTensorType) throws(NNError) -> UInt32 {
        try recording { () throws(NNError) -> UInt32 in
            guard let code = options.numbering.code(type) else {
                throw NNError.argument("\(type) has no code in the \(options.numbering) numbering")
            }
            return code
        }
    }

    private func set(_ c: Context, _ info: ValueInfo, typeCode: UInt32, dimensions: [Int],
                     data: UnsafeRawBufferPointer) throws(NNError) {
        guard let type = options.numbering.decode(typeCode) else {
            throw NNError.argument("unknown tensor type \(typeCode)")
        }
        var count = 1
        for d in dimensions {
            guard d >= 0 else { throw NNError.argument("negative dimension in \(dimensions)") }
            let (m, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw NNError.argument("dims \(dimensions) overflow") }
            count = m
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: type.byteWidth)
        guard !overflow, bytes == data.count else {
            throw NNError.argument("\(type) dims \(dimensions) need \(overflow ? "too many" : String(bytes)) bytes, got \(data.count)")
        }
        try NNGraph.check(info, type: type, shape: dimensions)
        let tensor: Tensor
        do {
            tensor = try Tensor(allocating: type.dataType, shape: dimensions)
        } catch {
            throw NNError(.tooLarge, error.description)
        }
        if let src = data.baseAddress, bytes > 0 { tensor.data.copyMemory(from: src, byteCount: bytes) }
        c.inputs[info.name] = tensor
        c.outputs = nil
    }

    /// `compute`: runs the graph on the inputs set so far (all required inputs must be set).
    public func compute(_ ctx: UInt32) throws(NNError) {
        try recording { () throws(NNError) in
            let c = try context(ctx)
            let results: [String: Tensor]
            do throws(InterpreterError) {
                results = try c.graph.session.run(c.inputs)
            } catch {
                if case .input = error.kind { throw NNError.argument(error.description) }
                throw NNError(.runtimeError, error.description)
            }
            var outs: [Tensor] = []
            outs.reserveCapacity(c.graph.outputs.count)
            for o in c.graph.outputs {
                guard let t = results[o.name] else { throw NNError(.runtimeError, "output '\(o.name)' was not computed") }
                outs.append(t)
            }
            c.outputs = outs
        }
    }

    /// The computed output `index` (declared output order).
    public func output(_ ctx: UInt32, index: UInt32) throws(NNError) -> Tensor {
        try recording { () throws(NNError) -> Tensor in
            let c = try context(ctx)
            guard Int(index) < c.graph.outputs.count else {
                throw NNError.argument("output index \(index) out of range (the graph has \(c.graph.outputs.count) outputs)")
            }
            guard let outs = c.outputs else { throw NNError.argument("no outputs yet: call compute first") }
            return outs[Int(index)]
        }
    }

    /// The computed output called `name`.
    public func output(_ ctx: UInt32, name: String) throws(NNError) -> Tensor {
        let c = try recording { () throws(NNError) in try context(ctx) }
        guard let i = c.graph.outputs.firstIndex(where: { $0.name == name }) else {
            let e = NNError(.notFound, "the graph has no output named '\(name)'")
            lastError = e.message
            throw e
        }
        return try output(ctx, index: UInt32(i))
    }

    /// `get_output`: copies output `index`'s raw bytes into `buffer` and returns how many. A buffer
    /// smaller than the output gets `too_large` and is left untouched. String outputs are refused.
    public func getOutput(_ ctx: UInt32, index: UInt32, into buffer: UnsafeMutableRawBufferPointer) throws(NNError) -> Int {
        let t = try output(ctx, index: index)
        return try recording { () throws(NNError) -> Int in try NNHost.copy(t, into: buffer) }
    }

    /// `get_output` by name.
    public func getOutput(_ ctx: UInt32, name: String, into buffer: UnsafeMutableRawBufferPointer) throws(NNError) -> Int {
        let t = try output(ctx, name: name)
        return try recording { () throws(NNError) -> Int in try NNHost.copy(t, into: buffer) }
    }

    /// Output `index` for the Swift API.
    public func getOutput(_ ctx: UInt32, index: UInt32) throws(NNError) -> NNTensor {
        let t = try output(ctx, index: index)
        return try recording { () throws(NNError) in try NNHost.tensor(t) }
    }

    /// Output `name` for the Swift API.
    public func getOutput(_ ctx: UInt32, name: String) throws(NNError) -> NNTensor {
        let t = try output(ctx, name: name)
        return try recording { () throws(NNError) in try NNHost.tensor(t) }
    }

    static func tensor(_ t: Tensor) throws(NNError) -> NNTensor {
        guard let type = NNTensorType(t.dataType) else {
            throw NNError(.unsupportedOperation, "output type \(t.dataType) has no wasi-nn tensor type")
        }
        let bytes = UnsafeRawBufferPointer(start: t.data, count: t.byteCount)
        return NNTensor(type: type, dimensions: t.shape, data: Array(bytes))
    }

    static func copy(_ t: Tensor, into buffer: UnsafeMutableRawBufferPointer) throws(NNError) -> Int {
        guard t.dataType != .string else { throw NNError(.unsupportedOperation, "string outputs have no byte form") }
        let n = t.byteCount
        guard n <= buffer.count else { throw NNError(.tooLarge, "output needs \(n) bytes, the buffer holds \(buffer.count)") }
        if n > 0, let dst = buffer.baseAddress { dst.copyMemory(from: t.data, byteCount: n) }
        return n
    }
}

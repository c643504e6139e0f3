import ONNXGraph
import Ops

/// One op call of a plan: the op and the value-table slots it reads, writes and frees.
/// Slot lists point into the plan's flat index storage (no per-step arrays at run time).
struct Step {
    let op: any Operator
    /// `node 'name' (OpType)`, for error messages.
    let label: String
    let inputs: UnsafeBufferPointer<Int32>
    let outputs: UnsafeBufferPointer<Int32>
    /// Slots whose last reader is this step; emptied (and their buffers recycled) after it runs.
    let release: UnsafeBufferPointer<Int32>
    /// True when the op does not read padded tensors: padded inputs are densified for it.
    let densifiesInputs: Bool
}

/// A graph turned into a flat list of op calls over numbered value slots, built once.
///
/// - Initializers and values computable from them alone (constant subgraphs) become constants,
///   evaluated once here.
/// - Every value has a slot; a slot is emptied after its last reader, and its buffer reused.
/// - Subgraphs (`If` branches) get plans of their own; values they capture from this graph are
///   kept alive until the node that owns the subgraph has run.
final class ExecutionPlan {
    /// The planned graph's name (the plan keeps no reference to the graph, so initializers the
    /// plan does not need, such as weights it packed, go away with the caller's model).
    let graphName: String
    private(set) var slotCount = 0
    private(set) var slotOf: [String: Int32] = [:]
    /// Values in place before any step runs.
    private(set) var constants: [(slot: Int32, tensor: Tensor)] = []
    /// Graph inputs the caller may feed; `fallback` is an initializer of the same name.
    private(set) var inputs: [(info: ValueInfo, slot: Int32, fallback: Tensor?)] = []
    private(set) var outputs: [(name: String, slot: Int32)] = []
    /// Values read from the enclosing graph, bound when a subgraph plan starts.
    private(set) var captures: [(name: String, slot: Int32)] = []
    private(set) var steps: [Step] = []
    /// The most inputs any step takes (the frame keeps that many scratch slots for densified inputs).
    private(set) var maxStepInputs = 0
    /// Plans of the subgraphs held by this graph's nodes, by graph identity.
    private(set) var subplans: [ObjectIdentifier: ExecutionPlan] = [:]
    /// Known types of values, from declarations, constants and forward inference.
    private(set) var valueTypes: [String: TensorType] = [:]
    private var indexStorage: UnsafeMutableBufferPointer<Int32>

    /// Plans `graph`. `opsets` are the model's imports; `outerScope` the names an enclosing graph
    /// defines (for subgraphs), which are read as captures, except `outerConstants`, which become
    /// constants of this plan (so a subgraph's weights are packed like any other).
    /// `consumesPackedInitializers`: remove an initializer from `graph` once it is packed and
    /// nothing else reads it (see `SessionOptions`). `packs` shares packed weights across the plans
    /// of one session (an `If`'s two branches reading one weight pack it once).
    init(graph: Graph, opsets: [String: Int], registry: OpRegistry, outerScope: [String: TensorType?] = [:],
         outerConstants: [String: Tensor] = [:], depth: Int = 0, consumesPackedInitializers: Bool = false,
         packs: PackCache = PackCache()) throws(InterpreterError) {
        self.graphName = graph.name
        self.indexStorage = UnsafeMutableBufferPointer(start: nil, count: 0)
        guard depth <= Graph.maximumNestingDepth else {
            throw .plan(GraphError(.nestingTooDeep(limit: Graph.maximumNestingDepth)))
        }
        do { try graph.sortTopologically(outerScope: Set(outerScope.keys)) } catch { throw .plan(error) }
        try build(graph, opsets: opsets, registry: registry, outerScope: outerScope, outerConstants: outerConstants,
                  depth: depth, consumesPackedInitializers: consumesPackedInitializers, packs: packs)
    }

    deinit { indexStorage.deallocate() }

    private func newSlot(_ name: String) -> Int32 {
        let s = Int32(slotCount)
        slotCount += 1
        if !name.isEmpty { slotOf[name] = s }
        return s
    }

    private struct PendingStep {
        var op: any Operator
        var label: String
        var inputs: [Int32]
        var outputs: [Int32]
        var reads: [Int32]
    }

    private func build(_ graph: Graph, opsets: [String: Int], registry: OpRegistry, outerScope: [String: TensorType?],
                       outerConstants: [String: Tensor], depth: Int, consumesPackedInitializers: Bool,
                       packs: PackCache) throws(InterpreterError) {
        // Readers per value (node inputs, subgraph captures, graph outputs): a packed weight whose
        // only reader is its packing op need not stay.
        var readers: [String: Int] = [:]
        for node in graph.nodes {
            for i in node.inputs where !i.isEmpty { readers[i, default: 0] += 1 }
            for sub in node.subgraphs { for c in sub.capturedValues { readers[c, default: 0] += 1 } }
        }
        for o in graph.outputs { readers[o.name, default: 0] += 1 }
        var constantValue: [Int32: Tensor] = [:]
        for info in graph.inputs {
            let slot = newSlot(info.name)
            inputs.append((info, slot, graph.initializers[info.name]))
            valueTypes[info.name] = info.type ?? graph.initializers[info.name]?.type
        }
        for name in graph.initializerOrder where slotOf[name] == nil {
            guard let t = graph.initializers[name] else { continue }
            let slot = newSlot(name)
            constantValue[slot] = t
            valueTypes[name] = t.type
        }
        func slot(reading name: String, _ label: String) throws(InterpreterError) -> Int32 {
            if let s = slotOf[name] { return s }
            if let t = outerConstants[name] {
                let s = newSlot(name)
                constantValue[s] = t
                valueTypes[name] = t.type
                return s
            }
            guard let outer = outerScope[name] else {
                throw .plan(GraphError(.undefinedValue(name), context: ["graph '\(graph.name)'", label]))
            }
            let s = newSlot(name)
            captures.append((name, s))
            if let outer { valueTypes[name] = outer }
            return s
        }

        var pending: [PendingStep] = []
        for node in graph.nodes {
            let label = node.label
            guard let opset = opsets[node.domain] else {
                throw .plan(OpError(.unsupportedOperator(domain: node.domain, opType: node.opType, opset: 0),
                                    context: ["graph '\(graph.name)'", label + " (domain not imported by the model)"]))
            }
            let op: any Operator
            do { op = try registry.makeOperator(node, opset: opset) }
            catch { throw .plan(error.within(label).within("graph '\(graph.name)'")) }

            var inputSlots: [Int32] = []
            var reads: [Int32] = []
            for name in node.inputs {
                if name.isEmpty { inputSlots.append(-1); continue }
                let s = try slot(reading: name, label)
                inputSlots.append(s)
                reads.append(s)
            }
            // Subgraphs: plan them with every name visible here; their captures are reads of this node.
            let subgraphs = node.subgraphs
            var visible: [String: TensorType?] = [:]
            var visibleConstants: [String: Tensor] = [:]
            if !subgraphs.isEmpty {
                visible = outerScope
                visibleConstants = outerConstants
                for (name, s) in slotOf {
                    visible[name] = valueTypes[name]
                    visibleConstants[name] = constantValue[s]
                }
            }
            for sub in subgraphs where subplans[ObjectIdentifier(sub)] == nil {
                let plan = try ExecutionPlan(graph: sub, opsets: opsets, registry: registry, outerScope: visible,
                                             outerConstants: visibleConstants, depth: depth + 1, packs: packs)
                subplans[ObjectIdentifier(sub)] = plan
                for (name, _) in plan.captures { reads.append(try slot(reading: name, label)) }
            }

            // Forward type inference.
            let inputTypes: [TensorType?] = node.inputs.map { $0.isEmpty ? nil : valueTypes[$0] }
            let attributes = NodeAttributes(node, opset: opset)
            do {
                let inferred = try op.inferTypes(inputTypes, attributes)
                for (name, t) in zip(node.outputs, inferred) where !name.isEmpty {
                    valueTypes[name] = t.dataType == nil && t.dims == nil ? (graph.valueInfo[name] ?? t) : t
                }
            } catch { throw .plan(error.within(label).within("graph '\(graph.name)'")) }

            // Constant folding: a node without subgraphs whose inputs are all constants runs now.
            let foldable = subgraphs.isEmpty && inputSlots.allSatisfy { $0 < 0 || constantValue[$0] != nil }
            if foldable {
                let values = inputSlots.map { $0 < 0 ? nil : constantValue[$0] }
                let results: [Tensor]
                do { results = try op.evaluate(values, outputCount: node.outputs.count) }
                catch { throw .plan(error.within(label).within("graph '\(graph.name)'")) }
                for (name, t) in zip(node.outputs, results) where !name.isEmpty {
                    let s = newSlot(name)
                    constantValue[s] = t
                    valueTypes[name] = t.type
                }
                continue
            }
            // Weights are packed into the kernel's layout once, here; the packed op no longer reads them.
            var planned: any Operator = op
            if let p = op as? any PrepacksConstantInput, p.prepackableInput < inputSlots.count,
               inputSlots[p.prepackableInput] >= 0, let value = constantValue[inputSlots[p.prepackableInput]] {
                do { planned = try packs.packed(p, constant: value) }
                catch { throw .plan(error.within(label).within("graph '\(graph.name)'")) }
                if (planned as? any PrepacksConstantInput)?.prepackedB != nil {
                    let packed = inputSlots[p.prepackableInput]
                    inputSlots[p.prepackableInput] = -1
                    if let r = reads.firstIndex(of: packed) { reads.remove(at: r) }
                    let name = node.inputs[p.prepackableInput]
                    if readers[name] == 1 {
                        constantValue[packed] = nil
                        if consumesPackedInitializers { graph.removeInitializer(name) }
                    }
                }
            }
            let outputSlots = node.outputs.map { $0.isEmpty ? Int32(-1) : newSlot($0) }
            pending.append(PendingStep(op: planned, label: label, inputs: inputSlots, outputs: outputSlots, reads: reads))
        }

        for o in graph.outputs {
            let s = try slot(reading: o.name, "graph output '\(o.name)'")
            outputs.append((o.name, s))
        }
        // Only constants something reads stay in the plan (packed weights' originals do not).
        var read = Set(outputs.map(\.slot))
        for step in pending { read.formUnion(step.reads) }
        constants = constantValue.filter { read.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

        // Lifetimes: a slot is freed after its last reader; an output nobody reads, right after its producer.
        var lastUse = Array(repeating: -1, count: slotCount)
        for (i, step) in pending.enumerated() {
            for s in step.reads { lastUse[Int(s)] = i }
            for s in step.outputs where s >= 0 && lastUse[Int(s)] < i { lastUse[Int(s)] = i }
        }
        var keep = Array(repeating: false, count: slotCount)
        for (s, _) in constants { keep[Int(s)] = true }
        for (_, s) in outputs { keep[Int(s)] = true }
        for (_, s) in captures { keep[Int(s)] = true }
        var releaseAt = Array(repeating: [Int32](), count: pending.count)
        for s in 0..<slotCount where !keep[s] && lastUse[s] >= 0 { releaseAt[lastUse[s]].append(Int32(s)) }

        let total = pending.reduce(0) { $0 + $1.inputs.count + $1.outputs.count } + releaseAt.reduce(0) { $0 + $1.count }
        indexStorage = .allocate(capacity: max(total, 1))
        var cursor = 0
        func place(_ values: [Int32]) -> UnsafeBufferPointer<Int32> {
            guard let base = indexStorage.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
            let start = base + cursor
            for (j, v) in values.enumerated() { start[j] = v }
            cursor += values.count
            return UnsafeBufferPointer(start: start, count: values.count)
        }
        steps = pending.enumerated().map { i, p in
            Step(op: p.op, label: p.label, inputs: place(p.inputs), outputs: place(p.outputs), release: place(releaseAt[i]),
                 densifiesInputs: !type(of: p.op).acceptsPaddedInputs)
        }
        maxStepInputs = pending.map(\.inputs.count).max() ?? 0
    }
}

/// Packed versions of ops, by (op, weight), while one session's plans are built: the same op over
/// the same weight is packed once and shared. Weights are held weakly, so packing still lets the
/// original go (a dead weight's identity cannot be mistaken for a new one's).
final class PackCache {
    private struct Key: Hashable {
        let op: AnyHashable
        let storage: ObjectIdentifier
        let dataType: DataType
        let shape: [Int]
    }
    private struct Entry {
        weak var storage: TensorStorage?
        let op: any Operator
    }
    private var packed: [Key: Entry] = [:]

    func packed(_ op: any PrepacksConstantInput, constant: Tensor) throws(OpError) -> any Operator {
        guard let hashable = op as? any Hashable else { return try op.prepacking(constant: constant) }
        let key = Key(op: AnyHashable(hashable), storage: ObjectIdentifier(constant.storage),
                      dataType: constant.dataType, shape: constant.shape)
        if let hit = packed[key], hit.storage === constant.storage { return hit.op }
        let result = try op.prepacking(constant: constant)
        packed[key] = Entry(storage: constant.storage, op: result)
        return result
    }
}

import ONNXGraph
import Ops

/// A named graph rewrite. A pass looks at one graph scope (the main graph or one subgraph) and
/// returns the rewrites it wants; `PassPipeline` applies them, recurses into subgraphs and runs
/// every pass again until none fires.
///
/// Contract: passes are idempotent (a rewritten graph offers the pass nothing more to do, so the
/// pipeline reaches a fixpoint), and a rewrite never changes the values of graph outputs, bit for
/// bit. Rewrites returned together must not remove the same node twice (the pipeline drops a
/// later one that overlaps an earlier one and asks again in the next iteration).
public protocol Pass: Sendable {
    /// `Fuse<Pattern>`, `Fold<What>`: printed in reports.
    var name: String { get }
    /// Operator set imports (domain → version) the pass's new nodes need; the pipeline adds them to
    /// the model when the pass fires.
    var introducedOpsets: [String: Int] { get }
    /// The rewrites of `scope.graph` this pass wants now (empty: nothing to do).
    func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite]
}

extension Pass {
    public var introducedOpsets: [String: Int] { [:] }
}

/// One rewrite: the patch and a one-line description (`node 'x' (MatMulInteger) + 3 → ...`).
public struct Rewrite: Sendable {
    public var patch: GraphPatch
    public var summary: String

    public init(_ patch: GraphPatch, summary: String) {
        self.patch = patch
        self.summary = summary
    }
}

/// A failure while running passes: the pass, where, and what.
public struct PassError: Error, Sendable, CustomStringConvertible {
    public var pass: String
    public var message: String

    public init(pass: String, _ message: String) {
        self.pass = pass
        self.message = message
    }

    public var description: String { "pass \(pass): \(message)" }
}

/// What a pass sees of one graph scope: the graph, who produces and who reads each value, the
/// constants and facts visible from enclosing graphs, the model's opsets and the registry that
/// will build the plan (a pass must not emit an op the registry lacks).
public struct PassScope {
    public let graph: Graph
    public let opsets: [String: Int]
    public let registry: OpRegistry
    /// Names defined by enclosing graphs (for patch application and invariant checks).
    public let outerNames: Set<String>
    /// Initializers of enclosing graphs, by name.
    let outerConstants: [String: Tensor]
    /// Known types of values of enclosing graphs.
    let outerTypes: [String: TensorType]
    /// Producer of each value defined by a node of this graph: (node index, output index).
    public let producer: [String: (node: Int, output: Int)]
    /// Number of reads of each value in this graph: node inputs, captures by subgraphs, graph outputs.
    public let uses: [String: Int]
    /// Indices of the nodes reading each value as an input (once per node).
    let readers: [String: [Int]]
    public let graphOutputs: Set<String>

    init(graph: Graph, opsets: [String: Int], registry: OpRegistry, outerNames: Set<String>,
         outerConstants: [String: Tensor], outerTypes: [String: TensorType]) {
        self.graph = graph
        self.opsets = opsets
        self.registry = registry
        self.outerNames = outerNames
        self.outerConstants = outerConstants
        self.outerTypes = outerTypes
        var producer: [String: (node: Int, output: Int)] = [:]
        var uses: [String: Int] = [:]
        var readers: [String: [Int]] = [:]
        for (i, node) in graph.nodes.enumerated() {
            for (j, o) in node.outputs.enumerated() where !o.isEmpty { producer[o] = (i, j) }
            for v in node.inputs where !v.isEmpty {
                uses[v, default: 0] += 1
                if readers[v]?.last != i { readers[v, default: []].append(i) }
            }
            for sub in node.subgraphs { for c in sub.capturedValues { uses[c, default: 0] += 1 } }
        }
        for o in graph.outputs { uses[o.name, default: 0] += 1 }
        self.producer = producer
        self.uses = uses
        self.readers = readers
        self.graphOutputs = Set(graph.outputs.map(\.name))
    }

    /// The node producing `value` in this graph, with the output index.
    public func node(producing value: String) -> (index: Int, node: Node, output: Int)? {
        guard let p = producer[value] else { return nil }
        return (p.node, graph.nodes[p.node], p.output)
    }

    /// The only node reading `value`, when exactly one node input reads it and it is no graph
    /// output nor captured by a subgraph.
    public func soleConsumer(of value: String) -> (index: Int, node: Node)? {
        guard uses[value] == 1, !graphOutputs.contains(value), let r = readers[value], r.count == 1 else { return nil }
        return (r[0], graph.nodes[r[0]])
    }

    /// The value of an initializer of this graph or of an enclosing one.
    public func constant(_ value: String) -> Tensor? {
        if let t = graph.initializers[value] { return t }
        if producer[value] != nil || graph.inputs.contains(where: { $0.name == value }) { return nil }
        return outerConstants[value]
    }

    /// The best known type of `value`: constants, declared inputs and facts here or in enclosing
    /// graphs, the outputs ONNX fixes (DynamicQuantizeLinear's scale and zero point are scalars),
    /// and numpy broadcasting through Add/Sub/Mul/Div of known static operands (a few levels deep).
    public func type(of value: String) -> TensorType? { type(of: value, depth: 0) }

    private func type(of value: String, depth: Int) -> TensorType? {
        if let t = constant(value) { return t.type }
        if let p = node(producing: value), p.node.domain.isEmpty {
            switch (p.node.opType, p.output) {
            case ("DynamicQuantizeLinear", 1): return TensorType(.float, shape: [])
            case ("DynamicQuantizeLinear", 2): return TensorType(.uint8, shape: [])
            case ("Add", 0), ("Sub", 0), ("Mul", 0), ("Div", 0):
                if graph.valueInfo[value] == nil, depth < 8, p.node.inputs.count == 2,
                   let a = type(of: p.node.inputs[0], depth: depth + 1), let b = type(of: p.node.inputs[1], depth: depth + 1),
                   let dt = a.dataType, dt == b.dataType, let sa = a.staticShape, let sb = b.staticShape,
                   let shape = Self.broadcast(sa, sb) {
                    return TensorType(dt, shape: shape)
                }
            default: break
            }
        }
        if let t = graph.type(of: value) { return t }
        return producer[value] == nil ? outerTypes[value] : nil
    }

    /// numpy broadcasting of two static shapes, nil when they do not broadcast.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out: [Int] = []
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        return out
    }

    /// The scope of `sub`, a subgraph of this graph's node `index`.
    func scope(of sub: Graph, atNode index: Int) -> PassScope {
        var names = outerNames, constants = outerConstants, types = outerTypes
        for i in graph.inputs {
            names.insert(i.name)
            if let t = i.type { types[i.name] = t }
        }
        for (n, t) in graph.initializers {
            names.insert(n)
            constants[n] = t
            types[n] = t.type
        }
        for node in graph.nodes[..<index] {
            for o in node.outputs where !o.isEmpty {
                names.insert(o)
                if let t = type(of: o) { types[o] = t }
            }
        }
        return PassScope(graph: sub, opsets: opsets, registry: registry, outerNames: names,
                         outerConstants: constants, outerTypes: types)
    }
}

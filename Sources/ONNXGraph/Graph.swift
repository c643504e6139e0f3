/// A computation graph: inputs, initializers (named constants), nodes in topological order, outputs.
///
/// A reference type, so that passes can rewrite a graph in place and subgraph attributes can be
/// shared by identity. Not safe to mutate from two threads at once.
public final class Graph: @unchecked Sendable {
    public var name: String
    public var inputs: [ValueInfo]
    public var outputs: [ValueInfo]
    /// Named constants. A graph input with the same name is an input whose default is the initializer.
    public var initializers: [String: Tensor]
    /// Initializer names in file order (for dumps and deterministic iteration).
    public var initializerOrder: [String]
    public var nodes: [Node]
    /// Known facts about intermediate values (`value_info`, then forward inference).
    public var valueInfo: [String: TensorType]
    public var docString: String
    public var metadata: [String: String]

    public init(name: String = "", inputs: [ValueInfo] = [], outputs: [ValueInfo] = [],
                initializers: [(String, Tensor)] = [], nodes: [Node] = [],
                valueInfo: [String: TensorType] = [:], docString: String = "", metadata: [String: String] = [:]) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = [:]
        self.initializerOrder = []
        self.nodes = nodes
        self.valueInfo = valueInfo
        self.docString = docString
        self.metadata = metadata
        for (n, t) in initializers { addInitializer(n, t) }
    }

    /// Adds or replaces an initializer, keeping file order.
    public func addInitializer(_ name: String, _ tensor: Tensor) {
        if initializers.updateValue(tensor, forKey: name) == nil { initializerOrder.append(name) }
    }

    /// Removes an initializer (its storage is freed when nothing else holds the tensor).
    public func removeInitializer(_ name: String) {
        guard initializers.removeValue(forKey: name) != nil else { return }
        initializerOrder.removeAll { $0 == name }
    }

    /// Inputs the caller must supply: declared inputs that have no initializer default.
    public var requiredInputs: [ValueInfo] { inputs.filter { initializers[$0.name] == nil } }

    /// The best known type of `value`: initializer, declared input/output, then `valueInfo`.
    public func type(of value: String) -> TensorType? {
        if let t = initializers[value] { return t.type }
        if let i = inputs.first(where: { $0.name == value }) { return i.type }
        if let t = valueInfo[value] { return t }
        return outputs.first(where: { $0.name == value })?.type
    }

    /// Names this graph reads that it does not define: the values it captures from enclosing scopes,
    /// including those its own subgraphs capture. Sorted.
    public var capturedValues: [String] {
        var defined = Set(inputs.map(\.name)).union(initializers.keys)
        for node in nodes { defined.formUnion(node.outputs) }
        var captured = Set<String>()
        for node in nodes {
            for i in node.inputs where !i.isEmpty && !defined.contains(i) { captured.insert(i) }
            for sub in node.subgraphs { for c in sub.capturedValues where !defined.contains(c) { captured.insert(c) } }
        }
        for o in outputs where !defined.contains(o.name) { captured.insert(o.name) }
        return captured.sorted()
    }

    /// Number of nodes here and in every nested subgraph.
    public var totalNodeCount: Int {
        nodes.reduce(0) { $0 + 1 + $1.subgraphs.reduce(0) { $0 + $1.totalNodeCount } }
    }
}

/// A loaded model: the main graph plus what the file says about it.
public struct Model: Sendable {
    public var irVersion: Int
    /// Operator set version per domain (`""` for ai.onnx).
    public var opsetImports: [String: Int]
    public var producerName: String
    public var producerVersion: String
    public var domain: String
    public var modelVersion: Int
    public var docString: String
    public var metadata: [String: String]
    public var graph: Graph

    public init(irVersion: Int, opsetImports: [String: Int], producerName: String = "", producerVersion: String = "",
                domain: String = "", modelVersion: Int = 0, docString: String = "", metadata: [String: String] = [:],
                graph: Graph) {
        self.irVersion = irVersion
        self.opsetImports = opsetImports
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.domain = domain
        self.modelVersion = modelVersion
        self.docString = docString
        self.metadata = metadata
        self.graph = graph
    }

    /// The opset version of `domain` (`""` and `ai.onnx` alike), nil when the model does not import it.
    public func opset(_ domain: String) -> Int? { opsetImports[Node.normalizedDomain(domain)] }
}

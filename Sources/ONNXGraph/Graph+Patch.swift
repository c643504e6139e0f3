/// A rewrite of a graph, as a pass returns it: nodes to remove, nodes to insert in their place,
/// uses of values to redirect, and initializers to add. `Graph.apply` performs it.
public struct GraphPatch: Sendable {
    /// Indices into `graph.nodes` to remove.
    public var removedNodes: Set<Int>
    /// New nodes, inserted where the first removed node stood (or at the end if none is removed).
    public var insertedNodes: [Node]
    /// Every use of a key (node inputs, graph outputs) is redirected to its value.
    public var rewiredValues: [String: String]
    public var addedInitializers: [(String, Tensor)]

    public init(removedNodes: Set<Int> = [], insertedNodes: [Node] = [], rewiredValues: [String: String] = [:],
                addedInitializers: [(String, Tensor)] = []) {
        self.removedNodes = removedNodes
        self.insertedNodes = insertedNodes
        self.rewiredValues = rewiredValues
        self.addedInitializers = addedInitializers
    }

    public var isEmpty: Bool {
        removedNodes.isEmpty && insertedNodes.isEmpty && rewiredValues.isEmpty && addedInitializers.isEmpty
    }
}

extension Graph {
    /// Applies `patch`, re-sorts topologically and (in debug builds) checks invariants.
    public func apply(_ patch: GraphPatch, outerScope: Set<String> = []) throws(GraphError) {
        for (n, t) in patch.addedInitializers { addInitializer(n, t) }
        let insertAt = patch.removedNodes.min() ?? nodes.count
        var rebuilt: [Node] = []
        rebuilt.reserveCapacity(nodes.count + patch.insertedNodes.count)
        for (i, node) in nodes.enumerated() {
            if i == insertAt { rebuilt.append(contentsOf: patch.insertedNodes) }
            if !patch.removedNodes.contains(i) { rebuilt.append(node) }
        }
        if insertAt >= nodes.count { rebuilt.append(contentsOf: patch.insertedNodes) }
        if !patch.rewiredValues.isEmpty {
            func resolve(_ v: String) -> String {
                var v = v, hops = 0
                while let next = patch.rewiredValues[v], hops < patch.rewiredValues.count { v = next; hops += 1 }
                return v
            }
            for i in rebuilt.indices { rebuilt[i].inputs = rebuilt[i].inputs.map { $0.isEmpty ? $0 : resolve($0) } }
            // A graph output keeps its name: when its producer is rewired away, an Identity keeps it defined.
            for o in outputs where patch.rewiredValues[o.name] != nil {
                rebuilt.append(Node(name: "\(o.name)/rewired", opType: "Identity", inputs: [resolve(o.name)], outputs: [o.name]))
            }
        }
        nodes = rebuilt
        try sortTopologically(outerScope: outerScope)
        try debugCheckInvariants(outerScope: outerScope)
    }

    /// Removes nodes none of whose outputs reach a graph output (directly or through subgraph
    /// captures). Returns how many were removed.
    @discardableResult
    public func removeDeadNodes() -> Int {
        var live = Set(outputs.map(\.name))
        var keep = Array(repeating: false, count: nodes.count)
        for i in nodes.indices.reversed() {
            let node = nodes[i]
            guard node.outputs.contains(where: { live.contains($0) }) else { continue }
            keep[i] = true
            live.formUnion(node.inputs.filter { !$0.isEmpty })
            for sub in node.subgraphs { live.formUnion(sub.capturedValues) }
        }
        let before = nodes.count
        nodes = nodes.indices.filter { keep[$0] }.map { nodes[$0] }
        return before - nodes.count
    }
}

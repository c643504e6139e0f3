import ONNXGraph

extension Graph {
    /// A copy of this graph and, recursively, of every subgraph its nodes hold, so that rewriting
    /// the copy leaves this graph untouched. Tensors (initializers, tensor attributes) share storage.
    public func copyingGraphs() -> Graph {
        let copy = Graph(name: name, inputs: inputs, outputs: outputs, nodes: nodes.map { $0.copyingGraphs() },
                         valueInfo: valueInfo, docString: docString, metadata: metadata)
        copy.initializers = initializers
        copy.initializerOrder = initializerOrder
        return copy
    }
}

extension Node {
    /// This node with every subgraph attribute replaced by a copy (`Graph.copyingGraphs`).
    func copyingGraphs() -> Node {
        guard !subgraphs.isEmpty else { return self }
        var node = self
        for (key, value) in attributes {
            switch value {
            case .graph(let g): node.attributes[key] = .graph(g.copyingGraphs())
            case .graphs(let gs): node.attributes[key] = .graphs(gs.map { $0.copyingGraphs() })
            default: break
            }
        }
        return node
    }
}

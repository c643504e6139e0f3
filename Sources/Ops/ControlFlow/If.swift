import ONNXGraph

/// `If(cond) → outputs`: runs `then_branch` when the single element of `cond` is true, else
/// `else_branch`. Both branches take no inputs, capture outer values by name, and produce as many
/// outputs as the node has (their shapes may differ between branches). Branch outputs are
/// forwarded as they are, padded ones included (a KV cache appended in place inside a branch).
public struct If: Operator, Hashable {
    public static var acceptsPaddedInputs: Bool { true }

    let thenBranch: GraphIdentity
    let elseBranch: GraphIdentity

    public init(_ node: NodeAttributes) throws(OpError) {
        thenBranch = GraphIdentity(try node.requiredGraph("then_branch"))
        elseBranch = GraphIdentity(try node.requiredGraph("else_branch"))
        for (name, g) in [("then_branch", thenBranch.graph), ("else_branch", elseBranch.graph)]
        where g.outputs.count != node.outputCount {
            throw OpError(.invalidAttribute(name, "has \(g.outputs.count) outputs, the node has \(node.outputCount)"))
        }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        zip(thenBranch.graph.outputs, elseBranch.graph.outputs).map { t, e in
            guard let a = t.type, let b = e.type else { return .unknown }
            if a == b { return a }
            let dataType = a.dataType == b.dataType ? a.dataType : nil
            guard let da = a.dims, let db = b.dims, da.count == db.count else { return TensorType(dataType, nil) }
            return TensorType(dataType, zip(da, db).map { $0 == $1 ? $0 : .unknown })
        }
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let cond = try io.required(0)
        guard cond.dataType == .bool, cond.count == 1 else {
            throw OpError.value("condition must be a single bool, got \(cond.dataType)\(cond.shape)")
        }
        guard let runner = io.subgraphs else { throw OpError(.subgraph("If needs a subgraph runner")) }
        let branch = cond.elements(UInt8.self)[0] != 0 ? thenBranch.graph : elseBranch.graph
        let results = try runner.run(branch, inputs: [])
        guard results.count == io.outputCount else {
            throw OpError(.subgraph("branch '\(branch.name)' produced \(results.count) outputs, expected \(io.outputCount)"))
        }
        for (i, t) in results.enumerated() { io.setOutput(i, t) }
    }
}

/// A subgraph compared and hashed by identity, so ops holding graphs stay `Hashable`.
public struct GraphIdentity: Hashable, Sendable {
    public let graph: Graph
    public init(_ graph: Graph) { self.graph = graph }
    public static func == (a: GraphIdentity, b: GraphIdentity) -> Bool { a.graph === b.graph }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(graph)) }
}

import ONNXGraph
import Ops

/// The op a fusion pass emits: our domain, its type and opset version.
public struct FusedOp: Sendable {
    public let domain: String
    public let opType: String
    public let opsetVersion: Int

    public init(_ opType: String, domain: String = "ai.onnxrun", opsetVersion: Int = 1) {
        self.domain = domain
        self.opType = opType
        self.opsetVersion = opsetVersion
    }

    /// The opset import the model needs once the op is in it.
    public var opsetImport: [String: Int] { [domain: opsetVersion] }

    /// True when `scope`'s model imports no other version of the domain and the registry that will
    /// plan the graph has the op: a pass never emits an op the plan cannot run.
    func isAvailable(in scope: PassScope) -> Bool {
        (scope.opsets[domain] ?? opsetVersion) == opsetVersion
            && scope.registry.schema(domain: domain, opType: opType, opset: opsetVersion) != nil
    }

    /// True for a node of this op.
    func matches(_ node: Node) -> Bool { node.domain == domain && node.opType == opType }
}

extension PassScope {
    /// The rewrites of a fusion anchored at one node: `match(index, node, scope)` for every node
    /// `isAnchor` accepts, in graph order; none when `op` is not available (`FusedOp.isAvailable`).
    func fusions(emitting op: FusedOp, anchoredAt isAnchor: (Node) -> Bool,
                 _ match: (Int, Node, PassScope) -> Rewrite?) -> [Rewrite] {
        guard op.isAvailable(in: self) else { return [] }
        var out: [Rewrite] = []
        for (i, node) in graph.nodes.enumerated() where isAnchor(node) {
            if let r = match(i, node, self) { out.append(r) }
        }
        return out
    }
}

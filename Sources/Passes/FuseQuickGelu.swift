// X ──┬──────────────────────────────▶ Mul ─▶ Y
//     └─▶ [Mul(alpha) ─▶] Sigmoid ──────┘
//   ⇒ X ─▶ ai.onnxrun::QuickGelu(alpha) ─▶ Y
//
// ONNX Runtime's QuickGeluFusion (its default level). Same roundings as the unfused ops; one pass
// over the data instead of two or three.
import ONNXGraph
import Ops

/// Rewrites `Mul(X, Sigmoid(X))` and `Mul(X, Sigmoid(Mul(X, alpha)))` (alpha a constant float
/// scalar, either operand order) into `ai.onnxrun::QuickGelu`, as ONNX Runtime 1.32's
/// `QuickGeluFusion` does: a CLIP/Marian "quick_gelu" activation.
///
/// Fires when X is known to be float, the Sigmoid (and the alpha Mul) output is read only by the
/// next node of the pattern and is no graph output. Near misses left alone: a Sigmoid read twice,
/// a product with another tensor than the Sigmoid's own input, a non-scalar or computed alpha.
public struct FuseQuickGelu: Pass {
    /// The op this pass emits.
    public static let op = FusedOp("QuickGelu")

    public init() {}

    public var name: String { "FuseQuickGelu" }
    public var introducedOpsets: [String: Int] { Self.op.opsetImport }

    public func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.fusions(emitting: Self.op, anchoredAt: { $0.domain.isEmpty && $0.opType == "Sigmoid" }, match)
    }

    private func match(_ index: Int, _ sigmoid: Node, _ scope: PassScope) -> Rewrite? {
        guard sigmoid.inputs.count == 1, sigmoid.outputs.count == 1, !sigmoid.inputs[0].isEmpty,
              !sigmoid.outputs[0].isEmpty,
              let (mulIndex, mul) = scope.soleConsumer(of: sigmoid.outputs[0]), mul.domain.isEmpty, mul.opType == "Mul",
              mul.inputs.count == 2, mul.outputs.count == 1, !mul.outputs[0].isEmpty,
              mul.inputs.filter({ $0 == sigmoid.outputs[0] }).count == 1,
              let x = mul.inputs.first(where: { $0 != sigmoid.outputs[0] }), !x.isEmpty,
              scope.type(of: x)?.dataType == .float
        else { return nil }
        var removed: Set<Int> = [index, mulIndex]
        var alpha: Float = 1
        if sigmoid.inputs[0] != x {
            // Sigmoid(Mul(x, alpha)), the scaling read only by the Sigmoid.
            guard let p = scope.node(producing: sigmoid.inputs[0]), p.node.domain.isEmpty, p.node.opType == "Mul",
                  p.node.inputs.count == 2, p.node.outputs.count == 1,
                  scope.soleConsumer(of: sigmoid.inputs[0])?.index == index,
                  p.node.inputs.contains(x), p.node.inputs[0] != p.node.inputs[1],
                  let c = FusedMatMulSupport.constant(p.node.inputs[0] == x ? p.node.inputs[1] : p.node.inputs[0], scope),
                  c.dataType == .float, c.count == 1
            else { return nil }
            alpha = c.elements(Float.self)[0]
            removed.insert(p.index)
        }
        let fused = Node(name: mul.name.isEmpty ? "" : mul.name + "/fused", opType: Self.op.opType, domain: Self.op.domain,
                         inputs: [x], outputs: mul.outputs, attributes: ["alpha": .float(alpha)])
        let parts = removed.sorted().map { scope.graph.nodes[$0].opType }.joined(separator: "+")
        return Rewrite(GraphPatch(removedNodes: removed, insertedNodes: [fused]),
                       summary: "\(sigmoid.label): \(parts) → \(Self.op.opType)(alpha: \(alpha)) → '\(mul.outputs[0])'")
    }
}

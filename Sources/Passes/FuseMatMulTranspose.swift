// X ─▶ Transpose(perm: [0, …, r-3, r-1, r-2]) ─┐
//                                              MatMul / FusedMatMul ─▶ Y
//                                         W ───┘
//   ⇒ X, W ─▶ ai.onnxrun::FusedMatMul(transA / transB flipped) ─▶ Y
//
// ONNX Runtime's MatmulTransposeFusion (its default level). The product reads the operand in its
// stored layout instead of a transposed copy: the attention scores read the KV cache in place.
import ONNXGraph
import Ops

/// Folds a `Transpose` that swaps the last two axes of a float `MatMul` (or `ai.onnxrun::FusedMatMul`)
/// operand into `FusedMatMul`'s `transA` / `transB`, where ONNX Runtime 1.32's
/// `MatmulTransposeFusion` does. The Transpose stays when something else reads it.
///
/// Fires on an operand produced by an ONNX `Transpose` (not a graph output) with an explicit `perm`
/// (or a known rank, for the default reversal) that keeps every axis but the last two in place.
/// The MatMul must be a `FusedMatMul`, or a `MatMul` whose operands are known to be float.
///
/// Near misses left alone: perms that move batch axes (ONNX Runtime's `transBatch` forms, which
/// our FusedMatMul does not implement, e.g. `[0, 2, 3, 1]`), a Transpose that is a graph output,
/// a MatMul of another or unknown type.
public struct FuseMatMulTranspose: Pass {
    public init() {}

    public var name: String { "FuseMatMulTranspose" }
    public var introducedOpsets: [String: Int] { FusedMatMulSupport.op.opsetImport }

    public func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.fusions(emitting: FusedMatMulSupport.op, anchoredAt: FusedMatMulSupport.isMatMul, match)
    }

    private func match(_ index: Int, _ mm: Node, _ scope: PassScope) -> Rewrite? {
        guard mm.inputs.count == 2, mm.outputs.count == 1, !mm.outputs[0].isEmpty,
              !mm.inputs[0].isEmpty, !mm.inputs[1].isEmpty else { return nil }
        let fused = !mm.domain.isEmpty
        if !fused {
            guard scope.type(of: mm.inputs[0])?.dataType == .float, scope.type(of: mm.inputs[1])?.dataType == .float
            else { return nil }
        }
        var attributes = mm.attributes
        var inputs = mm.inputs
        var removed: Set<Int> = [index]
        for (i, flag) in [(0, "transA"), (1, "transB")] {
            guard let p = scope.node(producing: mm.inputs[i]), p.node.domain.isEmpty, p.node.opType == "Transpose",
                  p.node.inputs.count == 1, !p.node.inputs[0].isEmpty, p.node.outputs.count == 1,
                  !scope.graphOutputs.contains(mm.inputs[i]), swapsLastTwo(p.node, scope) else { continue }
            var current = 0
            if case .int(let v)? = attributes[flag] { current = v }
            attributes[flag] = .int(current == 0 ? 1 : 0)
            inputs[i] = p.node.inputs[0]
            if scope.uses[mm.inputs[i]] == (mm.inputs[0] == mm.inputs[1] ? 2 : 1) { removed.insert(p.index) }
        }
        guard inputs != mm.inputs else { return nil }
        if !fused { attributes["alpha"] = attributes["alpha"] ?? .float(1) }
        let node = Node(name: mm.name.isEmpty ? "" : mm.name + "/transposed", opType: FusedMatMulSupport.op.opType,
                        domain: FusedMatMulSupport.op.domain, inputs: inputs, outputs: mm.outputs, attributes: attributes)
        let parts = removed.sorted().map { scope.graph.nodes[$0].opType }.joined(separator: "+")
        return Rewrite(GraphPatch(removedNodes: removed, insertedNodes: [node]),
                       summary: "\(mm.label): \(parts) → FusedMatMul(transposes folded) → '\(mm.outputs[0])'")
    }

    /// True for a perm (explicit, or the default reversal of a known rank) that swaps the last two
    /// axes and keeps the others in place.
    private func swapsLastTwo(_ transpose: Node, _ scope: PassScope) -> Bool {
        let perm: [Int]
        switch transpose.attributes["perm"] {
        case .ints(let p)?: perm = p
        case nil:
            guard let rank = scope.type(of: transpose.inputs[0])?.dims?.count else { return false }
            perm = Array((0..<rank).reversed())
        default: return false
        }
        let r = perm.count
        guard r >= 2 else { return false }
        return perm == Array(0..<(r - 2)) + [r - 1, r - 2]
    }
}

// A ─▶ Mul(c₁) ─┐                                     (c₁, c₂, c₃ constant float scalars; each
//               MatMul ─▶ Mul(c₃) ─▶ Y                  Mul may be a Div by a constant, x / c ≡ x · (1/c))
// B ─▶ Mul(c₂) ─┘
//   ⇒ A, B ─▶ ai.onnxrun::FusedMatMul(alpha: c₁·c₂·c₃) ─▶ Y
//
// ONNX Runtime's MatMulScaleFusion (its default level). The fused product rounds differently from
// the scaled operands (alpha is applied once to the sum, and alpha != 1 never takes the one-row
// kernel), so it is reproduced where ONNX Runtime applies it and nowhere else.
import ONNXGraph
import Ops

/// Folds constant scalar factors on the inputs and output of a float `MatMul` (or of an
/// `ai.onnxrun::FusedMatMul`) into `ai.onnxrun::FusedMatMul`'s `alpha`, where ONNX Runtime 1.32's
/// `MatMulScaleFusion` does.
///
/// A factor is a `Mul` (either operand) or `Div` (divisor, input 1) whose factor operand is a
/// float initializer or `Constant` of one element and of rank at most the other operand's rank
/// (an unknown rank passes: ONNX Runtime infers it on exported graphs, we may not). An input factor's node is
/// bypassed (and removed when nothing else reads it); an output factor is absorbed when it is the
/// MatMul's only reader and the MatMul output is no graph output. `alpha` is the float product of
/// the existing alpha, the input factors (input 0, then 1) and the output factor, each `Div` as
/// `1 / c` rounded to float.
///
/// Near misses left alone: a factor of more than one element, a factor that is a graph input or
/// computed, a factor of higher rank than its operand (it broadcasts), a non-float MatMul.
public struct FuseMatMulScale: Pass {
    public init() {}

    public var name: String { "FuseMatMulScale" }
    public var introducedOpsets: [String: Int] { FusedMatMulSupport.op.opsetImport }

    public func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.fusions(emitting: FusedMatMulSupport.op, anchoredAt: FusedMatMulSupport.isMatMul, match)
    }

    private func match(_ index: Int, _ mm: Node, _ scope: PassScope) -> Rewrite? {
        guard mm.inputs.count == 2, mm.outputs.count == 1, !mm.outputs[0].isEmpty,
              !mm.inputs[0].isEmpty, !mm.inputs[1].isEmpty,
              scope.type(of: mm.inputs[0])?.dataType ?? .float == .float,
              scope.type(of: mm.inputs[1])?.dataType ?? .float == .float
        else { return nil }
        // Every factor is a float constant, so its Mul (and the MatMul) computes in float even where
        // no type is declared.
        var alpha: Float = 1
        if case .float(let a)? = mm.attributes["alpha"] { alpha = a }
        var inputs = mm.inputs
        var removed: Set<Int> = [index]
        var fired = false
        for i in 0..<2 {
            guard let p = scope.node(producing: mm.inputs[i]), p.output == 0,
                  let (scale, operand) = factor(p.node, scope) else { continue }
            alpha *= scale
            inputs[i] = operand
            fired = true
            // The factor's node goes when the MatMul is its only reader (both inputs may read it).
            if scope.uses[mm.inputs[i]] == (mm.inputs[0] == mm.inputs[1] ? 2 : 1),
               !scope.graphOutputs.contains(mm.inputs[i]) {
                removed.insert(p.index)
                removed.formUnion(deadConstants(p.node, scope))
            }
        }
        var output = mm.outputs[0]
        if let (mulIndex, mul) = scope.soleConsumer(of: output), mul.outputs.count == 1, !mul.outputs[0].isEmpty,
           let (scale, operand) = factor(mul, scope), operand == output {
            alpha *= scale
            output = mul.outputs[0]
            removed.insert(mulIndex)
            removed.formUnion(deadConstants(mul, scope))
            fired = true
        }
        guard fired else { return nil }
        var attributes = mm.attributes
        attributes["alpha"] = .float(alpha)
        let fused = Node(name: mm.name.isEmpty ? "" : mm.name + "/scaled", opType: FusedMatMulSupport.op.opType,
                         domain: FusedMatMulSupport.op.domain, inputs: inputs, outputs: [output], attributes: attributes)
        let parts = removed.sorted().map { scope.graph.nodes[$0].opType }.joined(separator: "+")
        return Rewrite(GraphPatch(removedNodes: removed, insertedNodes: [fused]),
                       summary: "\(mm.label): \(parts) → FusedMatMul(alpha: \(alpha)) → '\(output)'")
    }

    /// `(c, x)` when `node` is `Mul(x, c)`, `Mul(c, x)` or `Div(x, 1/c)` with `c` a constant float
    /// scalar per ONNX Runtime's rules, and `x` of known rank >= 1.
    private func factor(_ node: Node, _ scope: PassScope) -> (Float, String)? {
        guard node.domain.isEmpty, node.inputs.count == 2, node.outputs.count == 1,
              !node.inputs[0].isEmpty, !node.inputs[1].isEmpty else { return nil }
        let candidates: [Int]
        switch node.opType {
        case "Mul": candidates = [0, 1]
        case "Div": candidates = [1]
        default: return nil
        }
        for s in candidates {
            let other = node.inputs[1 - s]
            // A MatMul operand has rank >= 1; an unknown rank is taken as large enough (ONNX
            // Runtime's own shape inference knows it on exported graphs).
            let rank = scope.type(of: other)?.dims?.count
            guard let c = FusedMatMulSupport.constant(node.inputs[s], scope), c.dataType == .float, c.count == 1,
                  rank.map({ $0 >= 1 && c.rank <= $0 }) ?? true
            else { continue }
            let v = c.elements(Float.self)[0]
            return (node.opType == "Div" ? 1 / v : v, other)
        }
        return nil
    }

    /// `Constant` nodes feeding `node` that nothing else reads.
    private func deadConstants(_ node: Node, _ scope: PassScope) -> Set<Int> {
        var out: Set<Int> = []
        for v in node.inputs where !v.isEmpty {
            if let p = scope.node(producing: v), p.node.domain.isEmpty, p.node.opType == "Constant",
               p.node.outputs.count == 1, scope.soleConsumer(of: v) != nil {
                out.insert(p.index)
            }
        }
        return out
    }
}

/// What the FusedMatMul passes share: the op's name and how to read a constant operand.
enum FusedMatMulSupport {
    static let op = FusedOp("FusedMatMul")

    /// An ONNX `MatMul` or our `FusedMatMul`.
    static func isMatMul(_ node: Node) -> Bool {
        (node.domain.isEmpty && node.opType == "MatMul") || op.matches(node)
    }

    /// The value of an initializer, or of a `Constant` node's `value` / `value_float`.
    static func constant(_ value: String, _ scope: PassScope) -> Tensor? {
        if let t = scope.constant(value) { return t }
        guard let p = scope.node(producing: value), p.node.domain.isEmpty, p.node.opType == "Constant" else { return nil }
        switch (p.node.attributes["value"], p.node.attributes["value_float"]) {
        case (.tensor(let t)?, _): return t
        case (_, .float(let f)?): return try? Tensor(.float, shape: [], values: [f])
        default: return nil
        }
    }
}

// Format 3:  input ──┐                      Format 1: x ─▶ Add(bias) ─▶ Add(skip) ─▶ LayerNormalization
//                    Add ─▶ LayerNormalization(scale, B, axis: -1) ─▶ Y
//            skip  ──┘                      Format 2: input ─▶ Add(Add(x, bias)) ─▶ LayerNormalization
//   ⇒ ai.onnxrun::SkipLayerNormalization(input, skip, scale, B[, bias], epsilon) ─▶ Y
//
// ONNX Runtime's SkipLayerNormFusion (its default level), which changes the rounding of the
// normalization (a float Welford pass instead of two passes), so it is reproduced where ONNX
// Runtime applies it and nowhere else.
import ONNXGraph
import Ops

/// Rewrites `Add → LayerNormalization` into `ai.onnxrun::SkipLayerNormalization` exactly where
/// ONNX Runtime 1.32's `SkipLayerNormFusion` does, so results stay bit-identical to ONNX Runtime
/// at its default optimization level.
///
/// Fires on a float `LayerNormalization` (axis -1, only its first output read) whose input 0 is
/// an `Add` (Add1) read only by it and no graph output, when both Add1 inputs have known types
/// (declared by graph inputs, initializers or value_info, or static shapes inferred through
/// elementwise ops: what ONNX Runtime's shape inference also finds) of rank 3, dim by dim equal
/// (the same value or the same `dim_param`). Add1's input 0 (Format 1)
/// or input 1 (Format 2) may itself be an `Add` (Add2) read only by Add1 whose input 1 is a 1-D
/// float initializer of the rows' length and whose input 0 is declared rank 3 with that static
/// last dim: Add2 is absorbed as the fused op's `bias`.
///
/// The fused op's epsilon is the LayerNormalization's (ONNX default 1e-5 when absent; ONNX
/// Runtime substitutes SkipLayerNormalization's own default, 1e-12, there, which changes the
/// model's meaning: we keep the model's).
///
/// Near misses left alone: an Add input of unknown, inferred-only or rank ≠ 3 shape, symbolic dims
/// of different names (ONNX Runtime's check fails on those), a LayerNormalization over other axes
/// (ONNX Runtime would fuse it wrongly; we do not) or with its statistics read, an Add read twice.
public struct FuseSkipLayerNormalization: Pass {
    /// The op this pass emits.
    public static let op = FusedOp("SkipLayerNormalization")

    public init() {}

    public var name: String { "FuseSkipLayerNormalization" }
    public var introducedOpsets: [String: Int] { Self.op.opsetImport }

    public func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.fusions(emitting: Self.op, anchoredAt: { $0.domain.isEmpty && $0.opType == "LayerNormalization" }, match)
    }

    private func match(_ index: Int, _ ln: Node, _ scope: PassScope) -> Rewrite? {
        guard (2...3).contains(ln.inputs.count), !ln.inputs[0].isEmpty, !ln.inputs[1].isEmpty,
              !ln.outputs.isEmpty, !ln.outputs[0].isEmpty,
              ln.outputs.dropFirst().allSatisfy({ $0.isEmpty || scope.uses[$0] == nil })
        else { return nil }
        if case .int(let axis)? = ln.attributes["axis"], axis != -1 {
            guard let r = declared(ln.inputs[0], scope)?.dims?.count, axis == r - 1 else { return nil }
        }
        for v in ln.inputs where !v.isEmpty {
            guard scope.type(of: v)?.dataType == .float else { return nil }
        }
        guard let (add1Index, add1) = addProducing(ln.inputs[0], readBy: index, scope),
              sameRank3(add1.inputs[0], add1.inputs[1], scope) else { return nil }
        var removed: Set<Int> = [index, add1Index]
        var input = add1.inputs[0], skip = add1.inputs[1], bias = ""
        // Format 1 (Add2 on Add1's input 0), else Format 2 (on input 1).
        for side in 0..<2 {
            if let (add2Index, add2) = addProducing(add1.inputs[side], readBy: add1Index, scope),
               isBiasAdd(add2, scope) {
                removed.insert(add2Index)
                if side == 0 { input = add2.inputs[0] } else { skip = add2.inputs[0] }
                bias = add2.inputs[1]
                break
            }
        }
        var attributes: [String: AttributeValue] = [:]
        attributes["epsilon"] = ln.attributes["epsilon"] ?? .float(1e-5)
        var inputs = [input, skip, ln.inputs[1], ln.inputs.count > 2 ? ln.inputs[2] : "", bias]
        while inputs.count > 3, inputs.last == "" { inputs.removeLast() }
        let fused = Node(name: ln.name.isEmpty ? "" : ln.name + "/fused", opType: Self.op.opType, domain: Self.op.domain,
                         inputs: inputs, outputs: [ln.outputs[0]], attributes: attributes)
        let parts = removed.sorted().map { scope.graph.nodes[$0].opType }.joined(separator: "+")
        return Rewrite(GraphPatch(removedNodes: removed, insertedNodes: [fused]),
                       summary: "\(ln.label): \(parts) → \(Self.op.opType) → '\(ln.outputs[0])'")
    }

    /// The ONNX `Add` producing `value` when node `reader` is its only reader and it is no graph output.
    private func addProducing(_ value: String, readBy reader: Int, _ scope: PassScope) -> (Int, Node)? {
        guard let p = scope.node(producing: value), p.node.domain.isEmpty, p.node.opType == "Add",
              p.node.inputs.count == 2, p.node.outputs.count == 1, p.output == 0,
              !p.node.inputs[0].isEmpty, !p.node.inputs[1].isEmpty,
              scope.soleConsumer(of: value)?.index == reader else { return nil }
        return (p.index, p.node)
    }

    /// ONNX Runtime's second-Add check: input 1 a 1-D float initializer of length `d`, input 0
    /// declared float of rank 3 with static last dim `d`.
    private func isBiasAdd(_ add: Node, _ scope: PassScope) -> Bool {
        guard let c = scope.constant(add.inputs[1]), c.dataType == .float, c.rank == 1,
              let x = declared(add.inputs[0], scope), x.dataType == .float, let dims = x.dims, dims.count == 3,
              case .value(let d) = dims[2] else { return false }
        return d == c.shape[0]
    }

    /// ONNX Runtime's first-Add check: both declared float, rank 3, each dim the same value or the
    /// same `dim_param`.
    private func sameRank3(_ a: String, _ b: String, _ scope: PassScope) -> Bool {
        guard let ta = declared(a, scope), let tb = declared(b, scope), ta.dataType == .float, tb.dataType == .float,
              let da = ta.dims, let db = tb.dims, da.count == 3, db.count == 3 else { return false }
        for (x, y) in zip(da, db) {
            switch (x, y) {
            case (.value(let p), .value(let q)) where p == q: continue
            case (.symbol(let p), .symbol(let q)) where p == q: continue
            default: return false
            }
        }
        return true
    }

    /// The type the model declares for `value` (initializer, graph input/output, value_info), else
    /// a static shape `PassScope` infers through elementwise ops. Symbolic dims are only ever
    /// declared ones, as in ONNX Runtime, whose inference names no new dims.
    private func declared(_ value: String, _ scope: PassScope) -> TensorType? {
        scope.type(of: value)
    }
}

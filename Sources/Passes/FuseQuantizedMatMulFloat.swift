// A ─▶ MatMulInteger(B, a_zp, b_zp) ─▶ Cast(to: FLOAT) ─▶ Mul(s) [─▶ Add(bias)] ─▶ Y
//                                                          ▲
//                                    s = Mul(a_scale, b_scale)   (absorbed when read only here)
//   ⇒ A ─▶ ai.onnxrun::QuantizedMatMulFloat(B, a_zp, b_zp, a_scale, b_scale, bias) ─▶ Y
//
// The shape onnxruntime's quantize_dynamic gives every MatMul (A from DynamicQuantizeLinear).
import ONNXGraph
import Ops

/// Rewrites `MatMulInteger → Cast(to: FLOAT) → Mul(scale) [→ Add(bias)]` into one
/// `ai.onnxrun::QuantizedMatMulFloat`, whose kernel applies the scale and bias in its epilogue
/// with the same roundings as the unfused graph (so outputs are bit-identical).
///
/// Fires only on the exact pattern, all in one graph scope:
/// - `MatMulInteger` with B of known static shape `[K, N]`, `a_zero_point` absent or of one
///   element, `b_zero_point` absent, of one element or `[N]`;
/// - its output read only by a `Cast` with `to = FLOAT`, whose output is read only by a `Mul`
///   (no graph output, no subgraph capture in between);
/// - the Mul's other operand of known static shape: one element or per column (`[1, ..., 1, N]`);
///   when it is itself a `Mul` of two such operands, one of one element, read only here, that Mul is
///   absorbed too (the kernel forms the product with the same rounding);
/// - optionally the Mul's output read only by an `Add` whose other operand has static shape
///   `[1, ..., 1, N]`.
/// Anything else (Cast to float16, a Mul by an activation or by a value of unknown shape, an
/// intermediate read twice or exported) is left alone.
public struct FuseQuantizedMatMulFloat: Pass {
    /// The op this pass emits.
    public static let op = FusedOp("QuantizedMatMulFloat")

    public init() {}

    public var name: String { "FuseQuantizedMatMulFloat" }
    public var introducedOpsets: [String: Int] { Self.op.opsetImport }

    public func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.fusions(emitting: Self.op, anchoredAt: { $0.domain.isEmpty && $0.opType == "MatMulInteger" }, match)
    }

    private func match(_ index: Int, _ mm: Node, _ scope: PassScope) -> Rewrite? {
        guard (2...4).contains(mm.inputs.count), mm.outputs.count == 1, !mm.outputs[0].isEmpty,
              !mm.inputs[0].isEmpty, !mm.inputs[1].isEmpty,
              let b = scope.type(of: mm.inputs[1])?.staticShape, b.count == 2 else { return nil }
        let n = b[1]
        let aZero = mm.inputs.count > 2 ? mm.inputs[2] : ""
        let bZero = mm.inputs.count > 3 ? mm.inputs[3] : ""
        if !aZero.isEmpty {
            guard let s = scope.type(of: aZero)?.staticShape, s.reduce(1, *) == 1 else { return nil }
        }
        if !bZero.isEmpty {
            guard let s = scope.type(of: bZero)?.staticShape, s.reduce(1, *) == 1 || s == [n] else { return nil }
        }
        // Cast(to: FLOAT), its only reader.
        guard let (castIndex, cast) = scope.soleConsumer(of: mm.outputs[0]), cast.domain.isEmpty,
              cast.opType == "Cast", cast.inputs == [mm.outputs[0]], cast.outputs.count == 1,
              case .int(let to)? = cast.attributes["to"], to == Int(DataType.float.rawValue),
              !cast.outputs[0].isEmpty else { return nil }
        // Mul(cast, s), its only reader.
        let castOut = cast.outputs[0]
        guard let (mulIndex, mul) = scope.soleConsumer(of: castOut), mul.domain.isEmpty, mul.opType == "Mul",
              mul.inputs.count == 2, mul.outputs.count == 1, !mul.outputs[0].isEmpty,
              mul.inputs.filter({ $0 == castOut }).count == 1,
              let s = mul.inputs.first(where: { $0 != castOut }), !s.isEmpty
        else { return nil }
        var removed: Set<Int> = [index, castIndex, mulIndex]
        let scales: [String]
        if let (factors, productIndex) = absorbableProduct(s, readBy: mulIndex, n, scope) {
            // s = Mul(x, y), one factor of one element: the kernel forms the product with the same rounding.
            removed.insert(productIndex)
            scales = factors
        } else {
            guard let t = scope.type(of: s), t.dataType == .float, let shape = t.staticShape,
                  Self.perColumn(shape, n, allowOne: true) else { return nil }
            scales = [s, ""]
        }
        // Add(bias), when it is the Mul's only reader.
        var output = mul.outputs[0]
        var bias = ""
        var last = mul
        if let (addIndex, add) = scope.soleConsumer(of: output), add.domain.isEmpty, add.opType == "Add",
           add.inputs.count == 2, add.outputs.count == 1, !add.outputs[0].isEmpty,
           add.inputs.filter({ $0 == output }).count == 1,
           let other = add.inputs.first(where: { $0 != output }), !other.isEmpty,
           let t = scope.type(of: other), t.dataType == .float, let shape = t.staticShape,
           Self.perColumn(shape, n, allowOne: false) {
            removed.insert(addIndex)
            bias = other
            output = add.outputs[0]
            last = add
        }
        var inputs = [mm.inputs[0], mm.inputs[1], aZero, bZero] + scales + [bias]
        while inputs.count > 5, inputs.last == "" { inputs.removeLast() }
        let name = mm.name.isEmpty ? last.name : mm.name
        let fused = Node(name: name.isEmpty ? "" : name + "/fused", opType: Self.op.opType, domain: Self.op.domain,
                         inputs: inputs, outputs: [output])
        let parts = removed.sorted().map { scope.graph.nodes[$0].opType }.joined(separator: "+")
        return Rewrite(GraphPatch(removedNodes: removed, insertedNodes: [fused]),
                       summary: "\(mm.label): \(parts) → \(Self.op.opType) → '\(output)'")
    }

    /// The factors of `s` when it is `Mul(x, y)` read only by node `reader`, both float of static
    /// shapes, one of one element and the other of one element or per column.
    private func absorbableProduct(_ s: String, readBy reader: Int, _ n: Int,
                                   _ scope: PassScope) -> ([String], Int)? {
        guard let p = scope.node(producing: s), p.node.domain.isEmpty, p.node.opType == "Mul",
              p.node.inputs.count == 2, p.node.outputs.count == 1, scope.soleConsumer(of: s)?.index == reader,
              !p.node.inputs[0].isEmpty, !p.node.inputs[1].isEmpty,
              let x = scope.type(of: p.node.inputs[0]), let y = scope.type(of: p.node.inputs[1]),
              x.dataType == .float, y.dataType == .float,
              let xs = x.staticShape, let ys = y.staticShape,
              Self.perColumn(xs, n, allowOne: true), Self.perColumn(ys, n, allowOne: true),
              xs.reduce(1, *) == 1 || ys.reduce(1, *) == 1
        else { return nil }
        return (p.node.inputs, p.index)
    }

    /// True for `[1, ..., 1, N]` (and, with `allowOne`, one-element shapes such as `[]` or `[1, 1]`).
    static func perColumn(_ shape: [Int], _ n: Int, allowOne: Bool) -> Bool {
        if allowOne && shape.allSatisfy({ $0 == 1 }) { return true }
        guard let last = shape.last else { return false }
        return last == n && shape.dropLast().allSatisfy { $0 == 1 }
    }
}

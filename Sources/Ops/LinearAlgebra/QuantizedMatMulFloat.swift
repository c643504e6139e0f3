import Kernels
import ONNXGraph

/// `ai.onnxrun::QuantizedMatMulFloat` (opset 1): an int8 matrix product with its float output
/// stage fused, the op `FuseQuantizedMatMulFloat` rewrites
/// `MatMulInteger → Cast(to: FLOAT) → Mul(scale) [→ Add(bias)]` into.
///
/// Inputs (positional, empty names for omitted optional ones):
/// 0. `A`: uint8/int8, shape `[..., K]` (rank >= 1).
/// 1. `B`: uint8/int8, `[K, N]` (a constant, packed once when the plan is built).
/// 2. `a_zero_point` (optional): A's type, one element.
/// 3. `b_zero_point` (optional): B's type, one element or `[N]` (per column).
/// 4. `scale`: float, one element or per column (`[1, ..., 1, N]`).
/// 5. `scale_b` (optional): float, the same forms; `scale` or `scale_b` has one element.
/// 6. `bias` (optional): float, `[1, ..., 1, N]`.
///
/// Output: float `Y = Float(C) · (scale · scale_b) + bias`, `C` as MatMulInteger computes it,
/// shape `A.shape[..<-1] + [N]` with leading ones prepended up to the largest rank of inputs 4–6
/// (numpy broadcasting of those forms). Rounding is exactly that of the unfused graph:
/// `scale · scale_b` rounded to float once, `Float(C)` to nearest, the product, then the sum, each
/// rounded separately (no fused multiply-add), so the result equals
/// `Add(Mul(Cast(MatMulInteger(...)), Mul(scale, scale_b)), bias)` bit for bit.
public struct QuantizedMatMulFloat: Operator, Hashable {
    /// B packed at plan time, or nil.
    public var prepackedB: PrepackedB?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard (5...7).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "5 to 7", actual: node.inputCount))
        }
        guard node.hasInput(0), node.hasInput(1), node.hasInput(4) else {
            throw OpError.value("QuantizedMatMulFloat needs A, B and scale (inputs 0, 1 and 4)")
        }
    }

    /// This op with the constant B input packed (unchanged when `b` is not a 2-D int8/uint8 tensor).
    public func prepacking(b: Tensor) throws(OpError) -> QuantizedMatMulFloat {
        var op = self
        if let p = try IntegerMatMul.prepack(b) { op.prepackedB = p }
        return op
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        func dims(_ i: Int) -> [Dim]? { i < inputs.count ? inputs[i]?.dims : nil }
        guard let a = dims(0), let b = dims(1), !a.isEmpty, b.count == 2 else { return [TensorType(.float, nil)] }
        var out = Array(a.dropLast()) + [b[1]]
        for i in 4...6 where node.hasInput(i) {
            guard let d = dims(i) else { return [TensorType(.float, nil)] }
            if d.count > out.count { out = Array(repeating: .value(1), count: d.count - out.count) + out }
        }
        return [TensorType(.float, out)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let a = try io.required(0)
        guard IntegerMatMul.isInt8(a.dataType) else { throw OpError.type(0, a.dataType) }
        let (bInput, bShape, bType, packed) = try IntegerMatMul.operandB(io, index: 1, prepacked: prepackedB)
        guard bShape.count == 2 else { throw OpError.shape("QuantizedMatMulFloat: B must be 2-D, got \(bShape)") }
        let k = bShape[0], n = bShape[1]
        guard a.rank >= 1, a.shape[a.rank - 1] == k else {
            throw OpError.shape("QuantizedMatMulFloat: inner dims differ: \(a.shape) × \(bShape)")
        }
        let aZero = io.input(2), bZero = io.input(3)
        if let t = aZero {
            guard t.dataType == a.dataType else { throw OpError.type(2, t.dataType) }
            guard t.count == 1 else { throw OpError.shape("a_zero_point must have one element, got \(t.shape)") }
        }
        if let t = bZero {
            guard t.dataType == bType else { throw OpError.type(3, t.dataType) }
            guard t.count == 1 || (t.rank == 1 && t.count == n) else {
                throw OpError.shape("b_zero_point must have one element or shape [\(n)], got \(t.shape)")
            }
        }
        let scale = try io.required(4), scaleB = io.input(5), bias = io.input(6)
        var outRank = a.rank
        for (i, t) in [(4, scale), (5, scaleB), (6, bias)] {
            guard let t else { continue }
            guard t.dataType == .float else { throw OpError.type(i, t.dataType) }
            let last = t.rank == 0 ? 1 : t.shape[t.rank - 1]
            guard t.shape.dropLast().allSatisfy({ $0 == 1 }), last == n || (last == 1 && i != 6) else {
                throw OpError.shape("input \(i) must be \(i == 6 ? "" : "one element or ")[1, ..., 1, \(n)], got \(t.shape)")
            }
            outRank = max(outRank, t.rank)
        }
        // The scale product: one operand is a single value, the other per tensor or per column.
        var aScale: Float = 1
        var bScale = scale
        if let scaleB {
            if scale.count == 1 {
                aScale = scale.elements(Float.self)[0]
                bScale = scaleB
            } else if scaleB.count == 1 {
                aScale = scaleB.elements(Float.self)[0]
            } else {
                throw OpError.shape("scale \(scale.shape) and scale_b \(scaleB.shape): one must have one element")
            }
        }
        let rows = Array(a.shape.dropLast())
        let outShape = Array(repeating: 1, count: outRank - a.rank) + rows + [n]
        let y = try io.allocate(.float, outShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        let m = y.count / n
        var matrix = packed
        if matrix == nil {
            guard let b = bInput else { throw OpError(.missingInput(index: 1)) }
            guard let p = PackedInt8Matrix(signed: b.dataType == .int8, k: k, n: n, b: UnsafeRawPointer(b.data), ldb: n)
            else { throw OpError.outOfMemory }
            matrix = p
        }
        guard let matrix else { return }
        let aSigned = a.dataType == .int8, bZeroCount = bZero?.count ?? 0
        let scaleStride = bScale.count > 1 ? 1 : 0
        let biasPointer = bias.map { UnsafePointer($0.elements(Float.self)) }
        // Zero points widened to Int32 in scratch space: [za, zb...].
        let ok = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 1 + max(bZeroCount, 1)) { zp -> Bool in
            guard let base = zp.baseAddress else { return false }
            Self.widen(aZero, into: base)
            Self.widen(bZero, into: base + 1)
            return QGemm.gemmFloat(aSigned: aSigned, m: m, a: UnsafeRawPointer(a.data), lda: k,
                                   aZeroPoints: aZero == nil ? nil : UnsafePointer(base), aZeroPointStride: 0,
                                   b: matrix,
                                   bZeroPoints: bZero == nil ? nil : UnsafePointer(base + 1),
                                   bZeroPointStride: bZeroCount > 1 ? 1 : 0,
                                   aScale: aScale, bScale: UnsafePointer(bScale.elements(Float.self)),
                                   bScaleStride: scaleStride, bias: biasPointer, y: y.elements(Float.self), ldy: n)
        }
        guard ok else { throw OpError.outOfMemory }
    }

    /// Writes `t`'s int8/uint8 elements as Int32 to `dst` (nothing for nil).
    private static func widen(_ t: Tensor?, into dst: UnsafeMutablePointer<Int32>) {
        guard let t else { return }
        if t.dataType == .int8 {
            let src = t.elements(Int8.self)
            for j in 0..<t.count { dst[j] = Int32(src[j]) }
        } else {
            let src = t.elements(UInt8.self)
            for j in 0..<t.count { dst[j] = Int32(src[j]) }
        }
    }
}

extension QuantizedMatMulFloat: PrepacksConstantInput {
    public var prepackableInput: Int { 1 }
    public func prepacking(constant: Tensor) throws(OpError) -> QuantizedMatMulFloat { try prepacking(b: constant) }
}

import Kernels
import ONNXGraph

/// A constant B operand packed once for the GEMM kernels (when a plan is built), held by the op
/// that uses it. Two values are equal when they hold the same packed object.
///
/// Contract: an op carrying a `PrepackedB` must only be evaluated with its B input equal to the
/// constant it was packed from. The B input may then be omitted (nil); when present, only its
/// shape and type are checked against the packed matrix.
public struct PrepackedB: Hashable, Sendable {
    public enum Packed: Sendable {
        /// fp32 k×n (MatMul, Gemm with `transB` already applied).
        case float(PackedFloatMatrix)
        /// int8/uint8 k×n with column sums (MatMulInteger, QLinearMatMul).
        case int8(PackedInt8Matrix)
    }

    public let packed: Packed
    /// The shape of the B input this was packed from.
    public let sourceShape: [Int]

    init(_ packed: Packed, sourceShape: [Int]) {
        self.packed = packed
        self.sourceShape = sourceShape
    }

    private var identity: ObjectIdentifier {
        switch packed {
        case .float(let p): ObjectIdentifier(p)
        case .int8(let p): ObjectIdentifier(p)
        }
    }

    public static func == (a: PrepackedB, b: PrepackedB) -> Bool { a.identity == b.identity }
    public func hash(into h: inout Hasher) { h.combine(identity) }

    var float: PackedFloatMatrix? {
        if case .float(let p) = packed { return p }
        return nil
    }

    var int8: PackedInt8Matrix? {
        if case .int8(let p) = packed { return p }
        return nil
    }

    /// B for this evaluation: the input when given (its shape must match when prepacked), else the
    /// packed source shape. Throws when neither exists.
    static func bShape(_ io: OpIO, index: Int, prepacked: PrepackedB?) throws(OpError) -> (Tensor?, [Int]) {
        if let b = io.input(index) {
            if let prepacked, prepacked.sourceShape != b.shape {
                throw OpError.shape("B of shape \(b.shape) differs from the prepacked \(prepacked.sourceShape)")
            }
            return (b, b.shape)
        }
        guard let prepacked else { throw OpError(.missingInput(index: index)) }
        return (nil, prepacked.sourceShape)
    }
}

extension OpError {
    static let outOfMemory = OpError.value("out of memory for GEMM scratch buffers")
}

/// Ops that can pack one constant input once, when the plan is built (MatMul, Gemm: B = input 1;
/// MatMulInteger: B = input 1; QLinearMatMul: b = input 3).
///
/// A plan that knows the value of input `prepackableInput` replaces the op with
/// `try op.prepacking(constant: value)`; the packed op may then be run with that input omitted
/// (nil), so the initializer can be released. Values that do not qualify (wrong type or rank)
/// leave the op unchanged (`prepackedB == nil`) and it keeps reading the input.
public protocol PrepacksConstantInput: Operator {
    /// The input index whose constant value can be packed.
    var prepackableInput: Int { get }
    /// The B operand packed by `prepacking(constant:)`, or nil.
    var prepackedB: PrepackedB? { get }
    /// This op with `constant` (the value of input `prepackableInput`) packed.
    func prepacking(constant: Tensor) throws(OpError) -> Self
}

extension MatMul: PrepacksConstantInput {
    public var prepackableInput: Int { 1 }
    public func prepacking(constant: Tensor) throws(OpError) -> MatMul { try prepacking(b: constant) }
}

extension Gemm: PrepacksConstantInput {
    public var prepackableInput: Int { 1 }
    public func prepacking(constant: Tensor) throws(OpError) -> Gemm { try prepacking(b: constant) }
}

extension MatMulInteger: PrepacksConstantInput {
    public var prepackableInput: Int { 1 }
    public func prepacking(constant: Tensor) throws(OpError) -> MatMulInteger { try prepacking(b: constant) }
}

extension QLinearMatMul: PrepacksConstantInput {
    public var prepackableInput: Int { 3 }
    public func prepacking(constant: Tensor) throws(OpError) -> QLinearMatMul { try prepacking(b: constant) }
}

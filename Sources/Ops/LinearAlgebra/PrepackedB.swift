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

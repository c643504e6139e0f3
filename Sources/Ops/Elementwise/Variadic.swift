import ONNXGraph

// Support for the variadic elementwise ops (Max, Min, Sum) and Clip: an ordered view of every
// numeric storage type, and a pairwise fold over any number of broadcast inputs.

/// A numeric element type compared in its storage form. `==` and `<` are the value's (IEEE for
/// floats, so `v != v` detects NaN); bfloat16 is `OrderedBFloat16`.
protocol OrderedScalar: Comparable, BitwiseCopyable {
    /// The values that never clip from below / above: ±inf for floats, min/max for integers.
    static var orderedLowest: Self { get }
    static var orderedHighest: Self { get }
    /// A float attribute value in this type (floats round to nearest even; integers truncate
    /// toward zero, saturating).
    init(attributeValue: Float)
}

extension OrderedScalar where Self: BinaryFloatingPoint {
    static var orderedLowest: Self { -.infinity }
    static var orderedHighest: Self { .infinity }
    init(attributeValue value: Float) { self.init(value) }
}

extension OrderedScalar where Self: FixedWidthInteger {
    static var orderedLowest: Self { .min }
    static var orderedHighest: Self { .max }
    init(attributeValue value: Float) { self = saturatingTruncate(Double(value)) }
}

extension Float: OrderedScalar {}
extension Double: OrderedScalar {}
extension Float16: OrderedScalar {}
extension Int8: OrderedScalar {}
extension Int16: OrderedScalar {}
extension Int32: OrderedScalar {}
extension Int64: OrderedScalar {}
extension UInt8: OrderedScalar {}
extension UInt16: OrderedScalar {}
extension UInt32: OrderedScalar {}
extension UInt64: OrderedScalar {}

/// bfloat16 storage (2 bytes, the upper half of a binary32) compared by its Float value.
struct OrderedBFloat16: OrderedScalar {
    var bits: UInt16
    @inline(__always) var value: Float { FloatFormats.bfloat16ToFloat(bits) }
    static var orderedLowest: OrderedBFloat16 { OrderedBFloat16(bits: 0xFF80) }
    static var orderedHighest: OrderedBFloat16 { OrderedBFloat16(bits: 0x7F80) }
    init(bits: UInt16) { self.bits = bits }
    init(attributeValue value: Float) { bits = FloatFormats.floatToBfloat16(value) }
    @inline(__always) static func < (a: OrderedBFloat16, b: OrderedBFloat16) -> Bool { a.value < b.value }
    @inline(__always) static func == (a: OrderedBFloat16, b: OrderedBFloat16) -> Bool { a.value == b.value }
}

/// Receives the `OrderedScalar` storage type of a runtime `DataType`.
protocol OrderedVisitor {
    func visit<T: OrderedScalar>(_ type: T.Type) throws(OpError)
}

/// Calls `visitor` with the ordered type of `dataType`: float, double, float16, bfloat16 and, when
/// `integers`, int8…int64 and uint8…uint64. Throws `OpError.type(input, dataType)` for others.
func withOrderedScalar<V: OrderedVisitor>(_ dataType: DataType, integers: Bool, input: Int = 0,
                                          _ visitor: V) throws(OpError) {
    switch dataType {
    case .float: try visitor.visit(Float.self)
    case .double: try visitor.visit(Double.self)
    case .float16: try visitor.visit(Float16.self)
    case .bfloat16: try visitor.visit(OrderedBFloat16.self)
    case .int8 where integers: try visitor.visit(Int8.self)
    case .int16 where integers: try visitor.visit(Int16.self)
    case .int32 where integers: try visitor.visit(Int32.self)
    case .int64 where integers: try visitor.visit(Int64.self)
    case .uint8 where integers: try visitor.visit(UInt8.self)
    case .uint16 where integers: try visitor.visit(UInt16.self)
    case .uint32 where integers: try visitor.visit(UInt32.self)
    case .uint64 where integers: try visitor.visit(UInt64.self)
    default: throw OpError.type(input, dataType)
    }
}

/// The inputs of a variadic elementwise op (Max, Min, Sum): one or more tensors of one type.
/// Before opset 8 they must all have the same shape; from opset 8 they broadcast together (numpy).
struct VariadicInputs {
    let tensors: [Tensor]
    /// The output shape.
    let shape: [Int]

    init(_ io: OpIO, broadcast: Bool, opType: String) throws(OpError) {
        guard io.inputCount >= 1 else { throw OpError(.wrongInputCount(expected: "at least 1", actual: io.inputCount)) }
        var tensors: [Tensor] = []
        tensors.reserveCapacity(io.inputCount)
        for i in 0..<io.inputCount {
            let t = try io.required(i)
            if let first = tensors.first {
                try requireSameType(first, t, input: i)
                if !broadcast && t.shape != first.shape {
                    throw OpError.shape("\(opType) before opset 8 needs inputs of one shape, got \(first.shape) and \(t.shape)")
                }
            }
            tensors.append(t)
        }
        self.tensors = tensors
        shape = try Broadcast.shape(tensors.map(\.shape))
    }

    var dataType: DataType { tensors[0].dataType }

    /// Folds the inputs left to right with `F` into a new tensor of `shape`:
    /// y = F(F(F(x0, x1), x2), …). A single input is returned as is.
    func fold<F: BinaryFn>(_ f: F.Type, _ io: OpIO) throws(OpError) -> Tensor where F.A == F.R, F.B == F.R {
        if tensors.count == 1 { return tensors[0] }
        let out = try io.allocate(dataType, shape)
        let r = out.elements(F.R.self)
        // First pair: x0 ∘ x1 written into the output (the third plan input only fixes the shape).
        let first = try BroadcastPlan([tensors[0].shape, tensors[1].shape, shape])
        let p0 = UnsafePointer(tensors[0].elements(F.A.self)), p1 = UnsafePointer(tensors[1].elements(F.B.self))
        let n = first.inner, s0 = first.innerStride0, s1 = first.innerStride1
        first.forEachRun { (o0, o1, _, or) in
            binaryRun(f, n, p0 + o0, s0, p1 + o1, s1, r + or)
        }
        // Then y = y ∘ xk in place (y has the output shape, so its offsets equal the output's).
        for k in 2..<max(tensors.count, 2) {
            let plan = try BroadcastPlan([shape, tensors[k].shape])
            let pk = UnsafePointer(tensors[k].elements(F.B.self))
            let m = plan.inner, sy = plan.innerStride0, sk = plan.innerStride1
            plan.forEachRun { (oy, ok, _, or) in
                binaryRun(f, m, UnsafePointer(r + oy), sy, pk + ok, sk, r + or)
            }
        }
        return out
    }
}

/// Output type of a variadic op: the inputs' type over their broadcast shape.
func inferVariadic(_ inputs: [TensorType?]) throws(OpError) -> [TensorType] {
    [try BroadcastInference.type(BroadcastInference.firstType(inputs), inputs)]
}

/// Checks a variadic op's node has at least one input.
func requireInputs(_ node: NodeAttributes) throws(OpError) {
    guard node.inputCount >= 1 else { throw OpError(.wrongInputCount(expected: "at least 1", actual: node.inputCount)) }
}

import ONNXGraph

/// The variadic ops Sum, Mean, Max, Min: inputs folded left to right, each step broadcasting
/// (numpy rules) and rounding in the element type, as ONNX's reference does. One input is returned
/// as is (no copy).
enum VariadicKind: Hashable, Sendable {
    case sum, mean, max, min
}

/// Max and Min as a pairwise selection; NaN wins (numpy `maximum`/`minimum`). `x != x` is the
/// NaN test that works for every Comparable element type (false for integers).
protocol SelectKind {
    static func pick<T: Comparable>(_ a: T, _ b: T) -> T
}

enum MaxSelect: SelectKind {
    @inline(__always) static func pick<T: Comparable>(_ a: T, _ b: T) -> T {
        if a != a { return a }
        if b != b { return b }
        return a < b ? b : a
    }
}

enum MinSelect: SelectKind {
    @inline(__always) static func pick<T: Comparable>(_ a: T, _ b: T) -> T {
        if a != a { return a }
        if b != b { return b }
        return b < a ? b : a
    }
}

enum ValueSelect<K: SelectKind, T: Comparable & BitwiseCopyable>: BinaryFn {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { K.pick(a, b) }
}

enum HalfSelect<K: SelectKind, H: HalfCodec>: BinaryFn {
    /// Selects one of the operands' own bit patterns (no rounding).
    @inline(__always) static func apply(_ a: UInt16, _ b: UInt16) -> UInt16 {
        let x = H.toFloat(a), y = H.toFloat(b)
        if x.isNaN { return a }
        if y.isNaN { return b }
        return K.pick(x, y) == x ? a : b
    }
}

/// Evaluates variadic op `kind` over all of the node's inputs.
func evaluateVariadic(_ kind: VariadicKind, _ io: inout OpIO) throws(OpError) {
    guard io.inputCount >= 1 else { throw OpError(.wrongInputCount(expected: "at least 1", actual: io.inputCount)) }
    var acc = try io.required(0)
    try checkVariadicType(kind, acc.dataType)
    if io.inputCount == 1 {
        io.setOutput(0, acc)
        return
    }
    for i in 1..<io.inputCount {
        let next = try io.required(i)
        try requireSameType(acc, next, input: i)
        let plan = try BroadcastPlan([acc.shape, next.shape])
        switch kind {
        case .sum, .mean: acc = try arithmetic(AddKind.self, acc, next, plan, io)
        case .max: acc = try select(MaxSelect.self, acc, next, plan, io)
        case .min: acc = try select(MinSelect.self, acc, next, plan, io)
        }
    }
    if kind == .mean {
        let n = try scalar(Double(io.inputCount), acc.dataType)
        acc = try arithmetic(DivKind.self, acc, n, BroadcastPlan([acc.shape, []]), io)
    }
    io.setOutput(0, acc)
}

private func checkVariadicType(_ kind: VariadicKind, _ t: DataType) throws(OpError) {
    switch (kind, t) {
    case (_, .float), (_, .double), (_, .float16), (_, .bfloat16): return
    case (.max, _) where t.isInteger && t.bitWidth >= 8, (.min, _) where t.isInteger && t.bitWidth >= 8: return
    default: throw OpError.type(0, t)
    }
}

/// A rank-0 tensor of float type `t` holding `value` (rounded to `t`).
private func scalar(_ value: Double, _ t: DataType) throws(OpError) -> Tensor {
    do {
        switch t {
        case .float: return try Tensor(.float, shape: [], values: [Float(value)])
        case .double: return try Tensor(.double, shape: [], values: [value])
        case .float16: return try Tensor(.float16, shape: [], values: [Float16Codec.store(value)])
        case .bfloat16: return try Tensor(.bfloat16, shape: [], values: [BFloat16Codec.store(value)])
        default: throw OpError.type(0, t)
        }
    } catch let error as GraphError {
        throw OpError(error)
    } catch {
        throw OpError.type(0, t)
    }
}

private func select<K: SelectKind>(_: K.Type, _ a: Tensor, _ b: Tensor, _ plan: BroadcastPlan, _ io: OpIO) throws(OpError) -> Tensor {
    let out = try io.allocate(a.dataType, plan.outShape)
    switch a.dataType {
    case .float: runBinary(ValueSelect<K, Float>.self, plan, a, b, out)
    case .double: runBinary(ValueSelect<K, Double>.self, plan, a, b, out)
    case .float16: runBinary(HalfSelect<K, Float16Codec>.self, plan, a, b, out)
    case .bfloat16: runBinary(HalfSelect<K, BFloat16Codec>.self, plan, a, b, out)
    case .int8: runBinary(ValueSelect<K, Int8>.self, plan, a, b, out)
    case .int16: runBinary(ValueSelect<K, Int16>.self, plan, a, b, out)
    case .int32: runBinary(ValueSelect<K, Int32>.self, plan, a, b, out)
    case .int64: runBinary(ValueSelect<K, Int64>.self, plan, a, b, out)
    case .uint8: runBinary(ValueSelect<K, UInt8>.self, plan, a, b, out)
    case .uint16: runBinary(ValueSelect<K, UInt16>.self, plan, a, b, out)
    case .uint32: runBinary(ValueSelect<K, UInt32>.self, plan, a, b, out)
    case .uint64: runBinary(ValueSelect<K, UInt64>.self, plan, a, b, out)
    default: throw OpError.type(0, a.dataType)
    }
    return out
}

/// Output type of a variadic op: the first known input type over the broadcast shape of all inputs.
func inferVariadic(_ inputs: [TensorType?]) throws(OpError) -> [TensorType] {
    [try BroadcastInference.type(BroadcastInference.firstType(inputs), inputs)]
}

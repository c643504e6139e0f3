import ONNXGraph

/// A comparison (Equal, Less, Greater) producing bool (stored 0/1). Floats compare by IEEE rules
/// (NaN is unequal to everything and unordered); float16/bfloat16 compare as Float values.
protocol CompareKind {
    static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool
}

enum EqualKind: CompareKind {
    @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
}

enum LessKind: CompareKind {
    @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}

enum GreaterKind: CompareKind {
    @inline(__always) static func compare<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}

enum ValueCompare<K: CompareKind, T: Comparable & BitwiseCopyable>: BinaryFn {
    @inline(__always) static func apply(_ a: T, _ b: T) -> UInt8 { K.compare(a, b) ? 1 : 0 }
}

enum HalfCompare<K: CompareKind, H: HalfCodec>: BinaryFn {
    @inline(__always) static func apply(_ a: UInt16, _ b: UInt16) -> UInt8 {
        K.compare(H.toFloat(a), H.toFloat(b)) ? 1 : 0
    }
}

/// bool compared as truth values (any nonzero byte is true).
enum BoolCompare<K: CompareKind>: BinaryFn {
    @inline(__always) static func apply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        K.compare(a != 0 ? 1 : 0 as UInt8, b != 0 ? 1 : 0 as UInt8) ? 1 : 0
    }
}

/// Evaluates comparison `K` on the node's two inputs into a bool tensor. `allowBool` and
/// `allowString` widen the accepted types (Equal only: strings are tested for equality of their
/// UTF-8 bytes, as numpy and ONNX Runtime do, whatever `K` is).
func evaluateComparison<K: CompareKind>(_ kind: K.Type, _ io: inout OpIO, legacy: LegacyBroadcast?,
                                        allowBool: Bool, allowString: Bool) throws(OpError) {
    let (a, b, plan) = try planBinary(io, legacy: legacy)
    try requireSameType(a, b, input: 1)
    let out = try io.allocate(.bool, plan.outShape)
    switch a.dataType {
    case .float: runBinary(ValueCompare<K, Float>.self, plan, a, b, out)
    case .double: runBinary(ValueCompare<K, Double>.self, plan, a, b, out)
    case .float16: runBinary(HalfCompare<K, Float16Codec>.self, plan, a, b, out)
    case .bfloat16: runBinary(HalfCompare<K, BFloat16Codec>.self, plan, a, b, out)
    case .int8: runBinary(ValueCompare<K, Int8>.self, plan, a, b, out)
    case .int16: runBinary(ValueCompare<K, Int16>.self, plan, a, b, out)
    case .int32: runBinary(ValueCompare<K, Int32>.self, plan, a, b, out)
    case .int64: runBinary(ValueCompare<K, Int64>.self, plan, a, b, out)
    case .uint8: runBinary(ValueCompare<K, UInt8>.self, plan, a, b, out)
    case .uint16: runBinary(ValueCompare<K, UInt16>.self, plan, a, b, out)
    case .uint32: runBinary(ValueCompare<K, UInt32>.self, plan, a, b, out)
    case .uint64: runBinary(ValueCompare<K, UInt64>.self, plan, a, b, out)
    case .bool where allowBool: runBinary(BoolCompare<K>.self, plan, a, b, out)
    case .string where allowString:
        let sa = a.storage.strings, sb = b.storage.strings
        let r = out.elements(UInt8.self)
        let n = plan.inner, da = plan.innerStride0, db = plan.innerStride1
        plan.forEachRun { (oa, ob, _, or) in
            for i in 0..<n {
                r[or + i] = sa[oa + i * da].utf8.elementsEqual(sb[ob + i * db].utf8) ? 1 : 0
            }
        }
    default: throw OpError.type(0, a.dataType)
    }
    io.setOutput(0, out)
}

/// Output type of a comparison: bool over the broadcast shape.
func inferComparison(_ inputs: [TensorType?], legacy: LegacyBroadcast?) throws(OpError) -> [TensorType] {
    [try BroadcastInference.type(.bool, inputs, legacy: legacy)]
}

import ONNXGraph

/// The arithmetic type a reduction accumulates in: `Float` (float, float16, bfloat16), `Double`,
/// `Int64` (signed integers) or `UInt64` (unsigned integers, bool).
/// Sums use `ElementArithmetic.add`: integer sums wrap (two's complement), as ONNX Runtime's do.
protocol ReductionAccumulator: ElementArithmetic & Comparable & Sendable {
    /// The mean of a sum of `count` elements: float division (NaN for count 0), integer division
    /// truncating toward zero (0 for count 0).
    static func meanOf(_ sum: Self, count: Int) -> Self
    /// True for a floating-point NaN.
    var isNaNValue: Bool { get }
}

extension ReductionAccumulator {
    /// a > b where NaN is greater than every number (numpy's `maximum` and `argmax` order).
    @inline(__always)
    static func ranksAbove(_ a: Self, _ b: Self) -> Bool {
        a.isNaNValue ? !b.isNaNValue : (!b.isNaNValue && a > b)
    }

    /// max(a, b), NaN-propagating.
    @inline(__always)
    static func nanMax(_ a: Self, _ b: Self) -> Self { ranksAbove(b, a) ? b : a }

    /// min(a, b), NaN-propagating (a when both are NaN or equal).
    @inline(__always)
    static func nanMin(_ a: Self, _ b: Self) -> Self {
        if a.isNaNValue { return a }
        return b.isNaNValue || b < a ? b : a
    }
}

extension Float: ReductionAccumulator {
    @inline(__always) static func meanOf(_ sum: Float, count: Int) -> Float { sum / Float(count) }
    @inline(__always) var isNaNValue: Bool { isNaN }
}

extension Double: ReductionAccumulator {
    @inline(__always) static func meanOf(_ sum: Double, count: Int) -> Double { sum / Double(count) }
    @inline(__always) var isNaNValue: Bool { isNaN }
}

extension Int64: ReductionAccumulator {
    @inline(__always) static func meanOf(_ sum: Int64, count: Int) -> Int64 { count == 0 ? 0 : sum / Int64(count) }
    @inline(__always) var isNaNValue: Bool { false }
}

extension UInt64: ReductionAccumulator {
    @inline(__always) static func meanOf(_ sum: UInt64, count: Int) -> UInt64 { count == 0 ? 0 : sum / UInt64(count) }
    @inline(__always) var isNaNValue: Bool { false }
}

/// A tensor element type as stored (`Tensor` storage conventions) that reductions, ArgMax and
/// TopK read through its accumulator type.
protocol ReductionScalar: BitwiseCopyable {
    associatedtype Acc: ReductionAccumulator
    /// The stored value widened to the accumulator (exact).
    static func widen(_ v: Self) -> Acc
    /// The accumulator narrowed to storage: floats round to nearest even, integers wrap.
    static func narrow(_ a: Acc) -> Self
    /// The identity of max: -inf for floats, the type's minimum for integers (false for bool).
    static var maxIdentity: Acc { get }
    /// The identity of min: +inf for floats, the type's maximum for integers (true for bool).
    static var minIdentity: Acc { get }
    /// out[r] = fold of x[r·n ..< r·n + n] for r < rows (sum for .sum/.mean, max, min); n >= 1.
    static func reduceRows(_ kind: ReductionKind, _ x: UnsafePointer<Self>, rows: Int, n: Int,
                           into out: UnsafeMutablePointer<Acc>)
    /// acc[j] = fold(acc[j], x[r·n + j] for every r < rows) for j < n.
    static func accumulateCols(_ kind: ReductionKind, _ x: UnsafePointer<Self>, rows: Int, n: Int,
                               into acc: UnsafeMutablePointer<Acc>)
}

extension Float: ReductionScalar {
    @inline(__always) static func widen(_ v: Float) -> Float { v }
    @inline(__always) static func narrow(_ a: Float) -> Float { a }
    static var maxIdentity: Float { -.infinity }
    static var minIdentity: Float { .infinity }
}

extension Double: ReductionScalar {
    @inline(__always) static func widen(_ v: Double) -> Double { v }
    @inline(__always) static func narrow(_ a: Double) -> Double { a }
    static var maxIdentity: Double { -.infinity }
    static var minIdentity: Double { .infinity }
}

extension Float16: ReductionScalar {
    @inline(__always) static func widen(_ v: Float16) -> Float { Float(v) }
    @inline(__always) static func narrow(_ a: Float) -> Float16 { Float16(a) }
    static var maxIdentity: Float { -.infinity }
    static var minIdentity: Float { .infinity }
}

/// bfloat16 storage (the upper 16 bits of a binary32), so generics can tell it from float16.
struct ReductionBFloat16: ReductionScalar {
    var bits: UInt16
    @inline(__always) static func widen(_ v: ReductionBFloat16) -> Float { FloatFormats.bfloat16ToFloat(v.bits) }
    @inline(__always) static func narrow(_ a: Float) -> ReductionBFloat16 { ReductionBFloat16(bits: FloatFormats.floatToBfloat16(a)) }
    static var maxIdentity: Float { -.infinity }
    static var minIdentity: Float { .infinity }
}

extension Int8: ReductionScalar {
    @inline(__always) static func widen(_ v: Int8) -> Int64 { Int64(v) }
    @inline(__always) static func narrow(_ a: Int64) -> Int8 { Int8(truncatingIfNeeded: a) }
    static var maxIdentity: Int64 { Int64(Int8.min) }
    static var minIdentity: Int64 { Int64(Int8.max) }
}

extension Int16: ReductionScalar {
    @inline(__always) static func widen(_ v: Int16) -> Int64 { Int64(v) }
    @inline(__always) static func narrow(_ a: Int64) -> Int16 { Int16(truncatingIfNeeded: a) }
    static var maxIdentity: Int64 { Int64(Int16.min) }
    static var minIdentity: Int64 { Int64(Int16.max) }
}

extension Int32: ReductionScalar {
    @inline(__always) static func widen(_ v: Int32) -> Int64 { Int64(v) }
    @inline(__always) static func narrow(_ a: Int64) -> Int32 { Int32(truncatingIfNeeded: a) }
    static var maxIdentity: Int64 { Int64(Int32.min) }
    static var minIdentity: Int64 { Int64(Int32.max) }
}

extension Int64: ReductionScalar {
    @inline(__always) static func widen(_ v: Int64) -> Int64 { v }
    @inline(__always) static func narrow(_ a: Int64) -> Int64 { a }
    static var maxIdentity: Int64 { Int64.min }
    static var minIdentity: Int64 { Int64.max }
}

extension UInt8: ReductionScalar {
    @inline(__always) static func widen(_ v: UInt8) -> UInt64 { UInt64(v) }
    @inline(__always) static func narrow(_ a: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: a) }
    static var maxIdentity: UInt64 { 0 }
    static var minIdentity: UInt64 { UInt64(UInt8.max) }
}

/// bool storage (one byte, 0 or 1), so generics can tell it from uint8: max is logical or (empty:
/// false), min logical and (empty: true).
struct ReductionBool: ReductionScalar {
    var bits: UInt8
    @inline(__always) static func widen(_ v: ReductionBool) -> UInt64 { UInt64(v.bits) }
    @inline(__always) static func narrow(_ a: UInt64) -> ReductionBool { ReductionBool(bits: UInt8(truncatingIfNeeded: a)) }
    static var maxIdentity: UInt64 { 0 }
    static var minIdentity: UInt64 { 1 }
}

extension UInt16: ReductionScalar {
    @inline(__always) static func widen(_ v: UInt16) -> UInt64 { UInt64(v) }
    @inline(__always) static func narrow(_ a: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: a) }
    static var maxIdentity: UInt64 { 0 }
    static var minIdentity: UInt64 { UInt64(UInt16.max) }
}

extension UInt32: ReductionScalar {
    @inline(__always) static func widen(_ v: UInt32) -> UInt64 { UInt64(v) }
    @inline(__always) static func narrow(_ a: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: a) }
    static var maxIdentity: UInt64 { 0 }
    static var minIdentity: UInt64 { UInt64(UInt32.max) }
}

extension UInt64: ReductionScalar {
    @inline(__always) static func widen(_ v: UInt64) -> UInt64 { v }
    @inline(__always) static func narrow(_ a: UInt64) -> UInt64 { a }
    static var maxIdentity: UInt64 { 0 }
    static var minIdentity: UInt64 { UInt64.max }
}

/// Something to run once the element type of a tensor is known as a Swift type.
protocol ReductionScalarVisitor {
    associatedtype Result
    func visit<S: ReductionScalar>(_ type: S.Type) throws(OpError) -> Result
}

extension DataType {
    /// Calls `visitor` with the storage type of `self`; throws `OpError.type(input, self)` for a
    /// type reductions cannot read (strings, complex, float8, sub-byte types).
    func visitReductionScalar<V: ReductionScalarVisitor>(_ visitor: V, input: Int = 0) throws(OpError) -> V.Result {
        switch self {
        case .float: try visitor.visit(Float.self)
        case .double: try visitor.visit(Double.self)
        case .float16: try visitor.visit(Float16.self)
        case .bfloat16: try visitor.visit(ReductionBFloat16.self)
        case .int8: try visitor.visit(Int8.self)
        case .int16: try visitor.visit(Int16.self)
        case .int32: try visitor.visit(Int32.self)
        case .int64: try visitor.visit(Int64.self)
        case .uint8: try visitor.visit(UInt8.self)
        case .bool: try visitor.visit(ReductionBool.self)
        case .uint16: try visitor.visit(UInt16.self)
        case .uint32: try visitor.visit(UInt32.self)
        case .uint64: try visitor.visit(UInt64.self)
        default: throw OpError.type(input, self)
        }
    }
}

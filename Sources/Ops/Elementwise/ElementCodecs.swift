import ONNXGraph

/// A tensor element type seen through Double: how its stored value reads as a Double and how a
/// Double is stored back (integers truncate toward zero and saturate; NaN stores as 0).
protocol DoubleCodec {
    associatedtype Stored: BitwiseCopyable
    static func load(_ s: Stored) -> Double
    static func store(_ d: Double) -> Stored
}

/// The 16-bit float storage formats, whose elements are bit patterns read through Float.
protocol HalfCodec: DoubleCodec where Stored == UInt16 {
    static func toFloat(_ bits: UInt16) -> Float
    static func fromFloat(_ value: Float) -> UInt16
}

enum Float16Codec: HalfCodec {
    @inline(__always) static func toFloat(_ bits: UInt16) -> Float { FloatFormats.float16ToFloat(bits) }
    @inline(__always) static func fromFloat(_ value: Float) -> UInt16 { FloatFormats.floatToFloat16(value) }
    @inline(__always) static func load(_ s: UInt16) -> Double { Double(toFloat(s)) }
    /// Rounds once, Double → float16 (not via Float, which could round twice).
    @inline(__always) static func store(_ d: Double) -> UInt16 { Float16(d).bitPattern }
}

enum BFloat16Codec: HalfCodec {
    @inline(__always) static func toFloat(_ bits: UInt16) -> Float { FloatFormats.bfloat16ToFloat(bits) }
    @inline(__always) static func fromFloat(_ value: Float) -> UInt16 { FloatFormats.floatToBfloat16(value) }
    @inline(__always) static func load(_ s: UInt16) -> Double { Double(toFloat(s)) }
    @inline(__always) static func store(_ d: Double) -> UInt16 { fromFloat(Float(d)) }
}

enum FloatCodec: DoubleCodec {
    @inline(__always) static func load(_ s: Float) -> Double { Double(s) }
    @inline(__always) static func store(_ d: Double) -> Float { Float(d) }
}

enum DoubleValueCodec: DoubleCodec {
    @inline(__always) static func load(_ s: Double) -> Double { s }
    @inline(__always) static func store(_ d: Double) -> Double { d }
}

enum IntCodec<T: FixedWidthInteger & BitwiseCopyable>: DoubleCodec {
    @inline(__always) static func load(_ s: T) -> Double { Double(s) }
    @inline(__always) static func store(_ d: Double) -> T { saturatingTruncate(d) }
}

/// `d` truncated toward zero into T, saturating at T's bounds; NaN gives 0. Never traps.
@inline(__always)
func saturatingTruncate<T: FixedWidthInteger>(_ d: Double) -> T {
    if d.isNaN { return 0 }
    if d >= Double(T.max) { return T.max }
    if d <= Double(T.min) { return T.min }
    return T(d)
}

/// Receives a `DoubleCodec` type chosen from a runtime `DataType` (generic visitor: Swift has no
/// generic closures).
protocol CodecVisitor {
    associatedtype Result
    func visit<C: DoubleCodec>(_ codec: C.Type) throws(OpError) -> Result
}

/// Calls `visitor` with the codec for `dataType` (every numeric type this family computes on);
/// throws `OpError.type(input, dataType)` for others.
func withCodec<V: CodecVisitor>(_ dataType: DataType, input: Int, _ visitor: V) throws(OpError) -> V.Result {
    switch dataType {
    case .float: return try visitor.visit(FloatCodec.self)
    case .double: return try visitor.visit(DoubleValueCodec.self)
    case .float16: return try visitor.visit(Float16Codec.self)
    case .bfloat16: return try visitor.visit(BFloat16Codec.self)
    case .int8: return try visitor.visit(IntCodec<Int8>.self)
    case .int16: return try visitor.visit(IntCodec<Int16>.self)
    case .int32: return try visitor.visit(IntCodec<Int32>.self)
    case .int64: return try visitor.visit(IntCodec<Int64>.self)
    case .uint8: return try visitor.visit(IntCodec<UInt8>.self)
    case .uint16: return try visitor.visit(IntCodec<UInt16>.self)
    case .uint32: return try visitor.visit(IntCodec<UInt32>.self)
    case .uint64: return try visitor.visit(IntCodec<UInt64>.self)
    default: throw OpError.type(input, dataType)
    }
}

/// Receives a fixed-width integer type chosen from a runtime `DataType`.
protocol IntegerVisitor {
    associatedtype Result
    func visit<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type) throws(OpError) -> Result
}

/// Calls `visitor` with the Swift integer type of `dataType` (int8…int64, uint8…uint64); throws
/// `OpError.type(input, dataType)` for others.
func withInteger<V: IntegerVisitor>(_ dataType: DataType, input: Int, _ visitor: V) throws(OpError) -> V.Result {
    switch dataType {
    case .int8: return try visitor.visit(Int8.self)
    case .int16: return try visitor.visit(Int16.self)
    case .int32: return try visitor.visit(Int32.self)
    case .int64: return try visitor.visit(Int64.self)
    case .uint8: return try visitor.visit(UInt8.self)
    case .uint16: return try visitor.visit(UInt16.self)
    case .uint32: return try visitor.visit(UInt32.self)
    case .uint64: return try visitor.visit(UInt64.self)
    default: throw OpError.type(input, dataType)
    }
}

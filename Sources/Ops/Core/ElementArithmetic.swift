/// Arithmetic on tensor element types as generic kernels need it: integers wrap (two's
/// complement, as ONNX Runtime's integer kernels do), floating point rounds normally.
protocol ElementArithmetic {
    static var zero: Self { get }
    static func add(_ a: Self, _ b: Self) -> Self
    static func mul(_ a: Self, _ b: Self) -> Self
}

extension Float: ElementArithmetic {
    @inline(__always) static func add(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func mul(_ a: Float, _ b: Float) -> Float { a * b }
}

extension Double: ElementArithmetic {
    @inline(__always) static func add(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func mul(_ a: Double, _ b: Double) -> Double { a * b }
}

/// Integer element types: wrapping add and multiply.
protocol WrappingElementArithmetic: ElementArithmetic, FixedWidthInteger {}

extension WrappingElementArithmetic {
    @inline(__always) static func add(_ a: Self, _ b: Self) -> Self { a &+ b }
    @inline(__always) static func mul(_ a: Self, _ b: Self) -> Self { a &* b }
}

extension Int8: WrappingElementArithmetic {}
extension Int16: WrappingElementArithmetic {}
extension Int32: WrappingElementArithmetic {}
extension Int64: WrappingElementArithmetic {}
extension UInt8: WrappingElementArithmetic {}
extension UInt16: WrappingElementArithmetic {}
extension UInt32: WrappingElementArithmetic {}
extension UInt64: WrappingElementArithmetic {}

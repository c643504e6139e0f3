import ONNXGraph

/// Element arithmetic for the generic (non-fp32) linear-algebra paths (Ops/Core/ElementArithmetic).
typealias LinalgScalar = ElementArithmetic

enum LinalgLoops {
    /// c[m×n] = a[m×k] · b[k×n], all contiguous row-major (i-p-j order so the inner loop streams).
    @inline(__always)
    static func matmul<T: LinalgScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: UnsafeMutablePointer<T>,
                                        m: Int, k: Int, n: Int) {
        c.update(repeating: T.zero, count: m * n)
        for i in 0..<m {
            let crow = c + i * n
            for p in 0..<k {
                let av = a[i * k + p]
                let brow = b + p * n
                for j in 0..<n { crow[j] = T.add(crow[j], T.mul(av, brow[j])) }
            }
        }
    }

    /// Widens `count` float16 / bfloat16 bit patterns to Float.
    static func widen(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int, bfloat: Bool) {
        if bfloat {
            for i in 0..<count { dst[i] = FloatFormats.bfloat16ToFloat(src[i]) }
        } else {
            for i in 0..<count { dst[i] = FloatFormats.float16ToFloat(src[i]) }
        }
    }

    /// Narrows `count` Floats to float16 / bfloat16 bit patterns (round to nearest even).
    static func narrow(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int, bfloat: Bool) {
        if bfloat {
            for i in 0..<count { dst[i] = FloatFormats.floatToBfloat16(src[i]) }
        } else {
            for i in 0..<count { dst[i] = FloatFormats.floatToFloat16(src[i]) }
        }
    }

    /// A Float scratch tensor (freed with its storage).
    static func floatScratch(_ shape: [Int]) throws(OpError) -> Tensor {
        do { return try Tensor(allocating: .float, shape: shape) } catch { throw OpError(error) }
    }
}

/// Conversions through Double for Gemm's float alpha/beta on non-fp32 element types.
protocol LinalgConvertible: LinalgScalar {
    var linalgDouble: Double { get }
    /// Rounds toward zero (integers; clamped to the type's range, NaN → 0) or rounds (floats).
    init(linalgDouble: Double)
}
extension Double: LinalgConvertible {
    var linalgDouble: Double { self }
    init(linalgDouble v: Double) { self = v }
}
extension WrappingElementArithmetic {
    var linalgDouble: Double { Double(self) }
    init(linalgDouble v: Double) {
        if v.isNaN { self = 0 } else if v <= Double(Self.min) { self = Self.min }
        else if v >= Double(Self.max) { self = Self.max } else { self = Self(v.rounded(.towardZero)) }
    }
}
extension Int32: LinalgConvertible {}
extension Int64: LinalgConvertible {}
extension UInt32: LinalgConvertible {}
extension UInt64: LinalgConvertible {}

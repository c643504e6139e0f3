import CKernels
import Kernels
import ONNXGraph

/// Options of a conversion into the float8 / float8e8m0 types (`Cast`'s `saturate` and `round_mode`).
struct CastOptions: Sendable, Hashable {
    var saturate = true
    var rounding = E8M0.Rounding.up
}

/// Element-wise conversion between any two tensor types, with ONNX `Cast` semantics.
///
/// Float sources are widened exactly to `Double` and rounded once into the target; integer and bool
/// sources go through `Int64` (or `UInt64`). Float → integer conversions truncate toward zero and,
/// where ONNX leaves out-of-range values undefined, reproduce what numpy does on x86-64 (the
/// `cvttss2si` results: NaN and out-of-range give the "integer indefinite" 0x80…0, then the low bits
/// are kept). Sub-byte integer targets wrap (ml_dtypes). float16 ↔ float and bfloat16 ↔ float run in
/// C kernels.
enum CastEngine {
    static let chunk = 256

    static var tier: CKTier { CPUTier.active.ck }

    /// True when `t` is a type `Cast` converts from or to.
    static func supports(_ t: DataType) -> Bool { t != .complex64 && t != .complex128 }

    /// Converts every element of `x` into `y` (same element count, type `y.dataType`).
    static func convert(_ x: Tensor, into y: Tensor, _ options: CastOptions) throws(OpError) {
        let n = x.count
        guard supports(x.dataType) else { throw OpError.type(0, x.dataType) }
        guard supports(y.dataType) else { throw OpError(.invalidAttribute("to", "cannot cast to \(y.dataType)")) }
        if n == 0 { return }
        if x.dataType == y.dataType {
            if x.dataType == .string { y.storage.strings = x.storage.strings } else {
                y.data.copyMemory(from: x.data, byteCount: x.byteCount)
            }
            return
        }
        switch (x.dataType, y.dataType) {
        case (.float, .float16): ck_f32_to_f16(x.elements(Float.self), y.elements(UInt16.self), n, tier); return
        case (.float16, .float): ck_f16_to_f32(x.elements(UInt16.self), y.elements(Float.self), n, tier); return
        case (.float, .bfloat16): ck_f32_to_bf16(x.elements(Float.self), y.elements(UInt16.self), n, tier); return
        case (.bfloat16, .float): ck_bf16_to_f32(x.elements(UInt16.self), y.elements(Float.self), n, tier); return
        default:
            if direct(x, y, n) { return }
        }
        if x.dataType == .string { try fromStrings(x, y, options); return }
        if y.dataType == .string { y.storage.strings = StringConversion.format(x); return }
        if isFloatLike(x.dataType) {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: chunk) { buf in
                let b = buf.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(chunk, n - start)
                    readFloats(x, start, m, b)
                    writeDoubles(y, start, m, b, options)
                    start += m
                }
            }
        } else {
            let unsigned = x.dataType == .uint64
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: chunk) { buf in
                let b = buf.baseAddress!
                var start = 0
                while start < n {
                    let m = Swift.min(chunk, n - start)
                    readInts(x, start, m, b)
                    writeInts(y, start, m, b, unsigned: unsigned, options)
                    start += m
                }
            }
        }
    }

    static func isFloatLike(_ t: DataType) -> Bool { t.isFloatingPoint }

    @inline(__always)
    private static func loop<S, D>(_ x: Tensor, _ y: Tensor, _ n: Int, _ f: (S) -> D) {
        let p = x.elements(S.self), q = y.elements(D.self)
        for i in 0..<n { q[i] = f(p[i]) }
    }

    /// One-pass loops for the common pairs between native numeric types, with the same results as
    /// the chunked path.
    private static func direct(_ x: Tensor, _ y: Tensor, _ n: Int) -> Bool {
        switch (x.dataType, y.dataType) {
        case (.float, .double): loop(x, y, n) { (v: Float) in Double(v) }
        case (.double, .float): loop(x, y, n) { (v: Double) in Float(v) }
        case (.int64, .int32): loop(x, y, n) { (v: Int64) in Int32(truncatingIfNeeded: v) }
        case (.int32, .int64): loop(x, y, n) { (v: Int32) in Int64(v) }
        case (.int64, .float): loop(x, y, n) { (v: Int64) in Float(v) }
        case (.int32, .float): loop(x, y, n) { (v: Int32) in Float(v) }
        case (.bool, .float), (.uint8, .float): loop(x, y, n) { (v: UInt8) in Float(v) }
        case (.int8, .float): loop(x, y, n) { (v: Int8) in Float(v) }
        case (.float, .int64): loop(x, y, n) { (v: Float) in truncate64(Double(v)) }
        case (.float, .int32): loop(x, y, n) { (v: Float) in truncate32(Double(v)) }
        case (.float, .bool): loop(x, y, n) { (v: Float) in v != 0 ? UInt8(1) : UInt8(0) }
        case (.bool, .int64): loop(x, y, n) { (v: UInt8) in Int64(v) }
        case (.int64, .bool): loop(x, y, n) { (v: Int64) in v != 0 ? UInt8(1) : UInt8(0) }
        default: return false
        }
        return true
    }

    // MARK: reading

    @inline(__always)
    private static func widen<T>(_ x: Tensor, _ start: Int, _ m: Int, _ out: UnsafeMutablePointer<Double>,
                                 _ f: (T) -> Double) {
        let p = x.elements(T.self) + start
        for i in 0..<m { out[i] = f(p[i]) }
    }

    private static func lookup(_ x: Tensor, _ start: Int, _ m: Int, _ out: UnsafeMutablePointer<Double>, _ table: [Float]) {
        let p = x.elements(UInt8.self) + start
        table.withUnsafeBufferPointer { t in
            for i in 0..<m { out[i] = Double(t[Int(p[i])]) }
        }
    }

    /// Elements `start..<start+m` of a float-like tensor, exactly as `Double`.
    static func readFloats(_ x: Tensor, _ start: Int, _ m: Int, _ out: UnsafeMutablePointer<Double>) {
        switch x.dataType {
        case .float: widen(x, start, m, out) { (v: Float) in Double(v) }
        case .double: widen(x, start, m, out) { (v: Double) in v }
        case .float16: widen(x, start, m, out) { (v: UInt16) in halfToDouble(v) }
        case .bfloat16: widen(x, start, m, out) { (v: UInt16) in Double(FloatFormats.bfloat16ToFloat(v)) }
        case .float8e8m0: lookup(x, start, m, out, E8M0.decodeTable)
        default:
            if let f = MiniFloat(x.dataType) { lookup(x, start, m, out, f.decodeTable) }
        }
    }

    /// float16 bits → Double, exact; NaN payloads are kept as they are (not quietened), as numpy does.
    @inline(__always)
    static func halfToDouble(_ v: UInt16) -> Double {
        guard v & 0x7C00 == 0x7C00, v & 0x3FF != 0 else { return Double(Float16(bitPattern: v)) }
        return Double(bitPattern: UInt64(v & 0x8000) << 48 | 0x7FF0_0000_0000_0000 | UInt64(v & 0x3FF) << 42)
    }

    @inline(__always)
    private static func widenInt<T>(_ x: Tensor, _ start: Int, _ m: Int, _ out: UnsafeMutablePointer<Int64>,
                                    _ f: (T) -> Int64) {
        let p = x.elements(T.self) + start
        for i in 0..<m { out[i] = f(p[i]) }
    }

    /// Elements of an integer or bool tensor as `Int64` (uint64 as its bit pattern).
    static func readInts(_ x: Tensor, _ start: Int, _ m: Int, _ out: UnsafeMutablePointer<Int64>) {
        switch x.dataType {
        case .int8, .int4, .int2: widenInt(x, start, m, out) { (v: Int8) in Int64(v) }
        case .uint8, .uint4, .uint2, .bool: widenInt(x, start, m, out) { (v: UInt8) in Int64(v) }
        case .int16: widenInt(x, start, m, out) { (v: Int16) in Int64(v) }
        case .uint16: widenInt(x, start, m, out) { (v: UInt16) in Int64(v) }
        case .int32: widenInt(x, start, m, out) { (v: Int32) in Int64(v) }
        case .uint32: widenInt(x, start, m, out) { (v: UInt32) in Int64(v) }
        case .int64: widenInt(x, start, m, out) { (v: Int64) in v }
        case .uint64: widenInt(x, start, m, out) { (v: UInt64) in Int64(bitPattern: v) }
        default: break
        }
    }

    // MARK: writing

    @inline(__always)
    private static func store<T>(_ y: Tensor, _ start: Int, _ m: Int, _ f: (Int) -> T) {
        let p = y.elements(T.self) + start
        for i in 0..<m { p[i] = f(i) }
    }

    /// x86-64 `cvttsd2si` (32-bit): truncation, NaN and out-of-range → Int32.min.
    @inline(__always)
    static func truncate32(_ d: Double) -> Int32 {
        d > -2147483649.0 && d < 2147483648.0 ? Int32(d) : Int32.min
    }

    /// x86-64 `cvttsd2si` (64-bit): truncation, NaN and out-of-range → Int64.min.
    @inline(__always)
    static func truncate64(_ d: Double) -> Int64 {
        d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? Int64(d) : Int64.min
    }

    /// Writes `m` doubles into elements `start..<start+m` of `y` (any non-string type).
    static func writeDoubles(_ y: Tensor, _ start: Int, _ m: Int, _ b: UnsafeMutablePointer<Double>, _ o: CastOptions) {
        switch y.dataType {
        case .float: store(y, start, m) { Float(b[$0]) }
        case .double: store(y, start, m) { b[$0] }
        case .float16: store(y, start, m) { Float16(b[$0]).bitPattern }
        case .bfloat16: store(y, start, m) { FloatFormats.floatToBfloat16(Float(b[$0])) }
        case .float8e8m0:
            store(y, start, m) { E8M0.encode(Float(b[$0]), saturate: o.saturate, rounding: o.rounding) }
        case .bool: store(y, start, m) { b[$0] != 0 ? UInt8(1) : UInt8(0) }
        case .int8: store(y, start, m) { Int8(truncatingIfNeeded: truncate32(b[$0])) }
        case .uint8: store(y, start, m) { UInt8(truncatingIfNeeded: truncate32(b[$0])) }
        case .int16: store(y, start, m) { Int16(truncatingIfNeeded: truncate32(b[$0])) }
        case .uint16: store(y, start, m) { UInt16(truncatingIfNeeded: truncate32(b[$0])) }
        case .int32: store(y, start, m) { truncate32(b[$0]) }
        case .uint32:
            store(y, start, m) { (i: Int) -> UInt32 in
                let d = b[i]
                return d >= 2147483648.0 ? UInt32(bitPattern: truncate32(d - 2147483648.0)) ^ 0x8000_0000
                    : UInt32(bitPattern: truncate32(d))
            }
        case .int64: store(y, start, m) { truncate64(b[$0]) }
        case .uint64:
            store(y, start, m) { (i: Int) -> UInt64 in
                let d = b[i]
                return d >= 9223372036854775808.0
                    ? UInt64(bitPattern: truncate64(d - 9223372036854775808.0)) ^ 0x8000_0000_0000_0000
                    : UInt64(bitPattern: truncate64(d))
            }
        case .int4: store(y, start, m) { Int8(truncatingIfNeeded: (truncate32(b[$0]) << 28) >> 28) }
        case .uint4: store(y, start, m) { UInt8(truncatingIfNeeded: truncate32(b[$0]) & 0xF) }
        case .int2: store(y, start, m) { Int8(truncatingIfNeeded: (truncate32(b[$0]) << 30) >> 30) }
        case .uint2: store(y, start, m) { UInt8(truncatingIfNeeded: truncate32(b[$0]) & 0x3) }
        default:
            if let f = MiniFloat(y.dataType) {
                let sat = o.saturate
                store(y, start, m) { f.encode(b[$0], saturate: sat) }
            }
        }
    }

    /// Writes `m` integers (bit patterns of uint64 when `unsigned`) into `y` (any non-string type).
    static func writeInts(_ y: Tensor, _ start: Int, _ m: Int, _ b: UnsafeMutablePointer<Int64>, unsigned: Bool,
                          _ o: CastOptions) {
        @inline(__always) func asFloat(_ v: Int64) -> Float { unsigned ? Float(UInt64(bitPattern: v)) : Float(v) }
        switch y.dataType {
        case .float: store(y, start, m) { asFloat(b[$0]) }
        case .double: store(y, start, m) { unsigned ? Double(UInt64(bitPattern: b[$0])) : Double(b[$0]) }
        case .float16: store(y, start, m) { Float16(asFloat(b[$0])).bitPattern }
        case .bfloat16: store(y, start, m) { FloatFormats.floatToBfloat16(asFloat(b[$0])) }
        case .float8e8m0:
            store(y, start, m) { E8M0.encode(asFloat(b[$0]), saturate: o.saturate, rounding: o.rounding) }
        case .bool: store(y, start, m) { b[$0] != 0 ? UInt8(1) : UInt8(0) }
        case .int8: store(y, start, m) { Int8(truncatingIfNeeded: b[$0]) }
        case .uint8: store(y, start, m) { UInt8(truncatingIfNeeded: b[$0]) }
        case .int16: store(y, start, m) { Int16(truncatingIfNeeded: b[$0]) }
        case .uint16: store(y, start, m) { UInt16(truncatingIfNeeded: b[$0]) }
        case .int32: store(y, start, m) { Int32(truncatingIfNeeded: b[$0]) }
        case .uint32: store(y, start, m) { UInt32(truncatingIfNeeded: b[$0]) }
        case .int64: store(y, start, m) { b[$0] }
        case .uint64: store(y, start, m) { UInt64(bitPattern: b[$0]) }
        case .int4: store(y, start, m) { Int8(truncatingIfNeeded: (b[$0] << 60) >> 60) }
        case .uint4: store(y, start, m) { UInt8(truncatingIfNeeded: b[$0] & 0xF) }
        case .int2: store(y, start, m) { Int8(truncatingIfNeeded: (b[$0] << 62) >> 62) }
        case .uint2: store(y, start, m) { UInt8(truncatingIfNeeded: b[$0] & 0x3) }
        default:
            if let f = MiniFloat(y.dataType) {
                let sat = o.saturate
                store(y, start, m) { f.encode(Double(asFloat(b[$0])), saturate: sat) }
            }
        }
    }

    // MARK: strings

    private static func fromStrings(_ x: Tensor, _ y: Tensor, _ o: CastOptions) throws(OpError) {
        let strings = x.storage.strings
        let target = y.dataType
        for (i, s) in strings.enumerated() {
            switch target {
            case .float:
                guard let v = StringConversion.parseFloat(s) else { throw StringConversion.bad(s, target) }
                y.elements(Float.self)[i] = v
            case .double, .float16, .bfloat16, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz,
                 .float8e8m0, .float4e2m1, .float6e2m3, .float6e3m2, .bool:
                guard var v = StringConversion.parseDouble(s) else { throw StringConversion.bad(s, target) }
                writeDoubles(y, i, 1, &v, o)
            default:
                if var v = Int64(StringConversion.trimmed(s)) {
                    writeInts(y, i, 1, &v, unsigned: false, o)
                } else if let u = UInt64(StringConversion.trimmed(s)) {
                    var v = Int64(bitPattern: u)
                    writeInts(y, i, 1, &v, unsigned: true, o)
                } else if var d = StringConversion.parseDouble(s) {
                    writeDoubles(y, i, 1, &d, o)
                } else {
                    throw StringConversion.bad(s, target)
                }
            }
        }
    }
}

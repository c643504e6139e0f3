import ONNXGraph

/// The float formats narrower than 16 bits that tensors store one code per byte: the float8 family,
/// float6e2m3, float6e3m2 and float4e2m1. Encoding rounds to nearest even from a `Double` (exact for
/// every source type up to float32, and a single rounding from double); decoding is exact.
///
/// Special values follow ml_dtypes (which the ONNX node tests are generated with):
/// - e4m3fn: no infinity, NaN = S.1111.111; e5m2: IEEE-like infinities, NaN encoded as S.11111.10;
/// - e4m3fnuz / e5m2fnuz: no infinity, no negative zero, the only NaN is 0x80;
/// - e2m1 / e2m3 / e3m2: no infinity and no NaN; overflow always saturates, and NaN encodes as a
///   zero of the opposite sign (+NaN → -0, -NaN → +0), as ml_dtypes does.
enum MiniFloat: Sendable, Hashable {
    case e4m3fn, e4m3fnuz, e5m2, e5m2fnuz, e2m1, e2m3, e3m2

    init?(_ dataType: DataType) {
        switch dataType {
        case .float8e4m3fn: self = .e4m3fn
        case .float8e4m3fnuz: self = .e4m3fnuz
        case .float8e5m2: self = .e5m2
        case .float8e5m2fnuz: self = .e5m2fnuz
        case .float4e2m1: self = .e2m1
        case .float6e2m3: self = .e2m3
        case .float6e3m2: self = .e3m2
        default: return nil
        }
    }

    private enum Specials { case ieee, fn, fnuz, finite }

    private var specials: Specials {
        switch self {
        case .e5m2: .ieee
        case .e4m3fn: .fn
        case .e4m3fnuz, .e5m2fnuz: .fnuz
        case .e2m1, .e2m3, .e3m2: .finite
        }
    }

    var mantissaBits: Int {
        switch self {
        case .e4m3fn, .e4m3fnuz: 3
        case .e5m2, .e5m2fnuz, .e3m2: 2
        case .e2m1: 1
        case .e2m3: 3
        }
    }

    var bias: Int {
        switch self {
        case .e4m3fn: 7
        case .e4m3fnuz: 8
        case .e5m2: 15
        case .e5m2fnuz: 16
        case .e2m1, .e2m3: 1
        case .e3m2: 3
        }
    }

    var signBit: UInt8 {
        switch self {
        case .e2m1: 0x08
        case .e2m3, .e3m2: 0x20
        default: 0x80
        }
    }

    /// The code of the largest finite value (positive).
    var maxCode: UInt8 {
        switch self {
        case .e4m3fn: 0x7E
        case .e4m3fnuz, .e5m2fnuz: 0x7F
        case .e5m2: 0x7B
        case .e2m1: 0x07
        case .e2m3, .e3m2: 0x1F
        }
    }

    /// The largest finite value.
    var maxFinite: Double {
        switch self {
        case .e4m3fn: 448
        case .e4m3fnuz: 240
        case .e5m2, .e5m2fnuz: 57344
        case .e2m1: 6
        case .e2m3: 7.5
        case .e3m2: 28
        }
    }

    /// The code for `x`, rounded to nearest even. With `saturate` (always, for the formats without
    /// infinity and NaN), values beyond the largest finite one (infinities included) become it; without,
    /// they become infinity (e5m2) or NaN (the others).
    @inline(__always)
    func encode(_ x: Double, saturate: Bool) -> UInt8 {
        let negative = x.sign == .minus
        let sign: UInt8 = negative ? signBit : 0
        let kind = specials
        if x.isNaN {
            switch kind {
            case .ieee: return sign | 0x7E
            case .fn: return sign | 0x7F
            case .fnuz: return 0x80
            case .finite: return negative ? 0 : signBit
            }
        }
        let saturating = saturate || kind == .finite
        var a = x.magnitude
        if saturating && a > maxFinite { a = maxFinite }
        let mbits = mantissaBits, emin = 1 - bias
        var r = 0.0
        if a != 0 {
            let e = Swift.max(Int(a.exponent), emin)
            let quantum = Double(sign: .plus, exponent: e - mbits, significand: 1)
            r = (a / quantum).rounded(.toNearestOrEven) * quantum
        }
        if !(r <= maxFinite) {  // overflow (or infinity) without saturation
            switch kind {
            case .ieee: return sign | 0x7C
            case .fn: return sign | 0x7F
            case .fnuz: return 0x80
            case .finite: return sign | maxCode
            }
        }
        if r == 0 { return kind == .fnuz ? 0 : sign }
        let re = Int(r.exponent)
        let code: UInt8
        if re < emin {
            code = UInt8(r / Double(sign: .plus, exponent: emin - mbits, significand: 1))
        } else {
            let m = UInt8(r / Double(sign: .plus, exponent: re - mbits, significand: 1)) - (1 << UInt8(mbits))
            code = UInt8(re + bias) << UInt8(mbits) | m
        }
        return sign | code
    }

    /// The value of `code` (only the format's low bits are read).
    func decode(_ code: UInt8) -> Float {
        let width: UInt8 = signBit << 1
        let c = code & (width &- 1)
        let negative = c & signBit != 0
        let mag = c & ~signBit
        let mbits = UInt8(mantissaBits)
        let expField = Int(mag >> mbits), mant = Int(mag & ((1 << mbits) - 1))
        switch specials {
        case .ieee where expField == Int((signBit - 1) >> mbits):
            let v: Float = mant == 0 ? .infinity : .nan
            return negative ? -v : v
        case .fn where mag == signBit - 1:
            return negative ? -Float.nan : .nan
        case .fnuz where c == 0x80:
            return .nan
        default: break
        }
        let v: Double = expField == 0
            ? Double(mant) * Double(sign: .plus, exponent: 1 - bias - Int(mbits), significand: 1)
            : Double((1 << Int(mbits)) + mant) * Double(sign: .plus, exponent: expField - bias - Int(mbits), significand: 1)
        return Float(negative ? -v : v)
    }

    /// `decode` for every byte, for table lookups.
    var decodeTable: [Float] {
        switch self {
        case .e4m3fn: MiniFloat.tables[0]
        case .e4m3fnuz: MiniFloat.tables[1]
        case .e5m2: MiniFloat.tables[2]
        case .e5m2fnuz: MiniFloat.tables[3]
        case .e2m1: MiniFloat.tables[4]
        case .e2m3: MiniFloat.tables[5]
        case .e3m2: MiniFloat.tables[6]
        }
    }

    private static let tables: [[Float]] = [MiniFloat.e4m3fn, .e4m3fnuz, .e5m2, .e5m2fnuz, .e2m1, .e2m3, .e3m2]
        .map { f in (0..<256).map { f.decode(UInt8($0)) } }
}

/// float8e8m0: an unsigned power of two 2^(e-127), code 0xFF is NaN, no zero. Conversions follow
/// `onnx.numpy_helper.to_float8e8m0`: only the float32 exponent is kept (the sign is ignored),
/// rounded by `round_mode`; NaN and infinity give 0xFF.
enum E8M0 {
    enum Rounding: Sendable, Hashable { case up, down, nearest }

    @inline(__always)
    static func encode(_ x: Float, saturate: Bool, rounding: Rounding) -> UInt8 {
        let bits = x.bitPattern
        let exponent = (bits >> 23) & 0xFF
        if exponent == 0xFF { return 0xFF }
        var e = exponent
        let roundUp: Bool
        switch rounding {
        case .down:
            roundUp = false
        case .up:
            roundUp = bits & 0x7F_FFFF != 0
        case .nearest:
            let g = bits & 0x40_0000 != 0, r = bits & 0x20_0000 != 0, s = bits & 0x1F_FFFF != 0
            roundUp = g && (r || s || exponent > 0)
        }
        if roundUp && !(saturate && exponent == 0xFE) { e += 1 }
        return UInt8(truncatingIfNeeded: e)
    }

    static func decode(_ code: UInt8) -> Float {
        code == 0xFF ? .nan : Float(sign: .plus, exponent: Int(code) - 127, significand: 1)
    }

    static let decodeTable: [Float] = (0..<256).map { decode(UInt8($0)) }
}

/// Bit-pattern conversions for the 16-bit float storage formats (`Tensor` stores them as UInt16).
public enum FloatFormats {
    /// bfloat16 bits → Float (exact).
    @inlinable
    public static func bfloat16ToFloat(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// Float → bfloat16 bits, round to nearest even; NaN stays NaN (quiet).
    @inlinable
    public static func floatToBfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x40) }
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// float16 (IEEE binary16) bits → Float (exact).
    @inlinable
    public static func float16ToFloat(_ bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// Float → float16 bits, round to nearest even (overflow gives ±inf).
    @inlinable
    public static func floatToFloat16(_ value: Float) -> UInt16 { Float16(value).bitPattern }
}

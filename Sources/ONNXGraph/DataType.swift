/// An ONNX tensor element type. Raw values are `TensorProto.DataType` numbers (onnx.proto, IR 14).
public enum DataType: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8
    case bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, complex64 = 14, complex128 = 15
    case bfloat16 = 16
    case float8e4m3fn = 17, float8e4m3fnuz = 18, float8e5m2 = 19, float8e5m2fnuz = 20
    case uint4 = 21, int4 = 22, float4e2m1 = 23, float8e8m0 = 24, uint2 = 25, int2 = 26
    case float6e2m3 = 27, float6e3m2 = 28

    /// Bits one element occupies in packed storage. `string` has no fixed width and answers 0.
    public var bitWidth: Int {
        switch self {
        case .string: 0
        case .uint2, .int2: 2
        case .uint4, .int4, .float4e2m1: 4
        case .float6e2m3, .float6e3m2: 6
        case .bool, .uint8, .int8, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: 8
        case .uint16, .int16, .float16, .bfloat16: 16
        case .float, .int32, .uint32: 32
        case .double, .int64, .uint64, .complex64: 64
        case .complex128: 128
        }
    }

    /// True for types stored several to a byte (`raw_data` packs them low bits first).
    public var isSubByte: Bool { bitWidth > 0 && bitWidth < 8 }

    /// Bytes one element occupies in this runtime's storage. Sub-byte types are stored packed in
    /// `raw_data` but unpacked to one element per byte in tensors, so this answers 1 for them.
    public var storageSize: Int { bitWidth == 0 ? 0 : max(1, bitWidth / 8) }

    /// Bytes `count` elements take in the ONNX packed wire form (`raw_data`); nil on overflow.
    public func packedByteCount(elements count: Int) -> Int? {
        guard count >= 0, bitWidth > 0 else { return bitWidth == 0 ? nil : 0 }
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        return overflow ? nil : (bits + 7) / 8
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float, .double, .float16, .bfloat16, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2,
             .float8e5m2fnuz, .float8e8m0, .float4e2m1, .float6e2m3, .float6e3m2: true
        default: false
        }
    }

    public var isInteger: Bool {
        switch self {
        case .uint8, .int8, .uint16, .int16, .int32, .int64, .uint32, .uint64, .uint4, .int4, .uint2, .int2: true
        default: false
        }
    }

    public var isSigned: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .int4, .int2: true
        default: isFloatingPoint
        }
    }

    /// The lower-case name ONNX uses in its docs (`float`, `int64`, `float8e4m3fn`, ...).
    public var description: String {
        switch self {
        case .float: "float"
        case .uint8: "uint8"
        case .int8: "int8"
        case .uint16: "uint16"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .string: "string"
        case .bool: "bool"
        case .float16: "float16"
        case .double: "double"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .complex64: "complex64"
        case .complex128: "complex128"
        case .bfloat16: "bfloat16"
        case .float8e4m3fn: "float8e4m3fn"
        case .float8e4m3fnuz: "float8e4m3fnuz"
        case .float8e5m2: "float8e5m2"
        case .float8e5m2fnuz: "float8e5m2fnuz"
        case .uint4: "uint4"
        case .int4: "int4"
        case .float4e2m1: "float4e2m1"
        case .float8e8m0: "float8e8m0"
        case .uint2: "uint2"
        case .int2: "int2"
        case .float6e2m3: "float6e2m3"
        case .float6e3m2: "float6e3m2"
        }
    }
}

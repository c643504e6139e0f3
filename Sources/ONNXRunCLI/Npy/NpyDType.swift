import ONNXGraph

/// An element type a `.npy` file can hold and this tool reads and writes: little-endian numbers,
/// one-byte integers and booleans. Byte order, structured, object, unicode, datetime and complex
/// dtypes are rejected with an error that names the `descr`.
package enum NpyDType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float16 = "<f2", float32 = "<f4", float64 = "<f8"
    case int8 = "|i1", int16 = "<i2", int32 = "<i4", int64 = "<i8"
    case uint8 = "|u1", uint16 = "<u2", uint32 = "<u4", uint64 = "<u8"
    case bool = "|b1"

    /// The canonical `descr` numpy writes (`'<f4'`, `'|u1'`, `'|b1'`, ...).
    package var descr: String { rawValue }

    package var description: String { rawValue }

    /// Bytes per element.
    package var itemSize: Int {
        switch self {
        case .int8, .uint8, .bool: 1
        case .float16, .int16, .uint16: 2
        case .float32, .int32, .uint32: 4
        case .float64, .int64, .uint64: 8
        }
    }

    /// The ONNX element type with the same storage layout.
    package var dataType: DataType {
        switch self {
        case .float16: .float16
        case .float32: .float
        case .float64: .double
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .bool: .bool
        }
    }

    /// The npy dtype whose storage layout equals `dataType`'s, if there is one.
    package init?(exactly dataType: DataType) {
        guard let match = NpyDType.allCases.first(where: { $0.dataType == dataType }) else { return nil }
        self = match
    }

    /// Parses a `descr` string. Accepts `<` and, for one-byte types, `|` or `<`; `=` is read as
    /// little-endian (this tool runs on little-endian machines only).
    package init(descr: String) throws(NpyError) {
        var chars = Array(descr)
        guard chars.count >= 2 else { throw NpyError.unsupportedDType(descr) }
        let order = chars.removeFirst()
        let kindAndSize = String(chars)
        if order == ">" {
            let oneByte = kindAndSize.hasSuffix("1") && kindAndSize.count == 2
            if !oneByte { throw NpyError.bigEndian(descr) }
        }
        guard order == "<" || order == "|" || order == "=" || order == ">" else { throw NpyError.unsupportedDType(descr) }
        switch kindAndSize {
        case "f2": self = .float16
        case "f4": self = .float32
        case "f8": self = .float64
        case "i1": self = .int8
        case "i2": self = .int16
        case "i4": self = .int32
        case "i8": self = .int64
        case "u1": self = .uint8
        case "u2": self = .uint16
        case "u4": self = .uint32
        case "u8": self = .uint64
        case "b1": self = .bool
        default:
            switch kindAndSize.first {
            case "O": throw NpyError.objectDType(descr)
            case "U", "S", "a": throw NpyError.stringDType(descr)
            default: throw NpyError.unsupportedDType(descr)
            }
        }
        if order == "|" && itemSize != 1 { throw NpyError.unsupportedDType(descr) }
    }
}

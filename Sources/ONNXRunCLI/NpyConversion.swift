import ONNXGraph
import Ops

/// Mapping between model element types and the `.npy` dtypes that carry them.
///
/// Exact matches need no conversion. ONNX types numpy lacks are carried as follows:
/// - `bfloat16`: inputs as `<f4` (rounded to nearest even) or `<u2` (raw bit patterns);
///   outputs as `<f4` (exact).
/// - float8 / float4 / float6 types: `|u1` holding the bit pattern (code in the low bits).
/// - `int4`, `int2`: `|i1` within range; `uint4`, `uint2`: `|u1` within range.
/// - `string` and complex tensors are not supported.
package enum NpyConversion {
    /// The model-ready tensor for input `name` of declared type `expected` (nil: take the file's type).
    package static func input(_ tensor: Tensor, dtype: NpyDType, expected: DataType?,
                              name: String) throws(CLIError) -> Tensor {
        guard let expected, expected != tensor.dataType else { return tensor }
        func mismatch() -> CLIError {
            CLIError("input '\(name)' is \(expected) but the .npy file holds \(dtype.descr) (\(tensor.dataType))"
                     + (carrierHint(expected).map { "; pass \($0)" } ?? ""))
        }
        do {
            switch (expected, dtype) {
            case (.bfloat16, .float32):
                let out = try Tensor(allocating: .bfloat16, shape: tensor.shape)
                let src = tensor.elements(Float.self), dst = out.elements(UInt16.self)
                for i in 0..<tensor.count { dst[i] = FloatFormats.floatToBfloat16(src[i]) }
                return out
            case (.bfloat16, .uint16):
                return try Tensor(dataType: .bfloat16, shape: tensor.shape, storage: tensor.storage)
            case (.float8e4m3fn, .uint8), (.float8e4m3fnuz, .uint8), (.float8e5m2, .uint8),
                 (.float8e5m2fnuz, .uint8), (.float8e8m0, .uint8):
                return try Tensor(dataType: expected, shape: tensor.shape, storage: tensor.storage)
            case (.float4e2m1, .uint8), (.uint4, .uint8), (.uint2, .uint8), (.float6e2m3, .uint8), (.float6e3m2, .uint8):
                let limit: UInt8 = 1 << UInt8(expected.bitWidth)
                let p = tensor.elements(UInt8.self)
                for i in 0..<tensor.count where p[i] >= limit {
                    throw CLIError("input '\(name)' (\(expected)): element \(i) is \(p[i]), outside 0..<\(limit)")
                }
                return try Tensor(dataType: expected, shape: tensor.shape, storage: tensor.storage)
            case (.int4, .int8), (.int2, .int8):
                let high = Int8(1 << (expected.bitWidth - 1))
                let p = tensor.elements(Int8.self)
                for i in 0..<tensor.count where p[i] >= high || p[i] < -high {
                    throw CLIError("input '\(name)' (\(expected)): element \(i) is \(p[i]), outside \(-high)...\(high - 1)")
                }
                return try Tensor(dataType: expected, shape: tensor.shape, storage: tensor.storage)
            default:
                throw mismatch()
            }
        } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError("input '\(name)': \(error)")
        }
    }

    /// How to pass an input of `type` when it has no exact npy dtype.
    static func carrierHint(_ type: DataType) -> String? {
        if let exact = NpyDType(exactly: type) { return "a \(exact.descr) array" }
        switch type {
        case .bfloat16: return "a <f4 array (converted) or <u2 bit patterns"
        case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: return "|u1 bit patterns"
        case .float4e2m1, .float6e2m3, .float6e3m2: return "|u1 codes"
        case .uint4, .uint2: return "a |u1 array"
        case .int4, .int2: return "a |i1 array"
        default: return nil
        }
    }

    /// The npy dtype and the tensor to write for an output (see the type table above).
    package static func output(_ tensor: Tensor, name: String) throws(CLIError) -> (NpyDType, Tensor) {
        if let exact = NpyDType(exactly: tensor.dataType) { return (exact, tensor) }
        do {
            switch tensor.dataType {
            case .bfloat16:
                let out = try Tensor(allocating: .float, shape: tensor.shape)
                let src = tensor.elements(UInt16.self), dst = out.elements(Float.self)
                for i in 0..<tensor.count { dst[i] = FloatFormats.bfloat16ToFloat(src[i]) }
                return (.float32, out)
            case .int4, .int2:
                return (.int8, try Tensor(dataType: .int8, shape: tensor.shape, storage: tensor.storage))
            case .uint4, .uint2, .float4e2m1, .float6e2m3, .float6e3m2, .float8e4m3fn, .float8e4m3fnuz,
                 .float8e5m2, .float8e5m2fnuz, .float8e8m0:
                return (.uint8, try Tensor(dataType: .uint8, shape: tensor.shape, storage: tensor.storage))
            default:
                throw CLIError("output '\(name)' is \(tensor.dataType), which has no .npy representation here")
            }
        } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError("output '\(name)': \(error)")
        }
    }
}

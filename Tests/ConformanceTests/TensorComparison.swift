import ONNXGraph
import Ops

/// Compares an output with its expected value: same element type and shape; floating-point
/// elements within rtol 1e-3 / atol 1e-5 (NaN matches NaN, infinities must match exactly);
/// everything else (integers, bool, strings, float8/float4/float6 bit patterns) exactly.
enum TensorComparison {
    static let rtol = 1e-3, atol = 1e-5

    static func compare(_ actual: Tensor, _ expected: Tensor) -> String? {
        guard actual.dataType == expected.dataType else { return "type \(actual.dataType), expected \(expected.dataType)" }
        guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
        let n = expected.count
        func close(_ a: Double, _ e: Double, _ i: Int) -> String? {
            if a.isNaN && e.isNaN { return nil }
            if a.isInfinite || e.isInfinite { return a == e ? nil : "element \(i): \(a), expected \(e)" }
            return abs(a - e) <= atol + rtol * abs(e) ? nil : "element \(i): \(a), expected \(e)"
        }
        switch expected.dataType {
        case .float:
            let a = actual.elements(Float.self), e = expected.elements(Float.self)
            for i in 0..<n { if let p = close(Double(a[i]), Double(e[i]), i) { return p } }
        case .double:
            let a = actual.elements(Double.self), e = expected.elements(Double.self)
            for i in 0..<n { if let p = close(a[i], e[i], i) { return p } }
        case .float16:
            let a = actual.elements(UInt16.self), e = expected.elements(UInt16.self)
            for i in 0..<n {
                if let p = close(Double(FloatFormats.float16ToFloat(a[i])), Double(FloatFormats.float16ToFloat(e[i])), i) { return p }
            }
        case .bfloat16:
            let a = actual.elements(UInt16.self), e = expected.elements(UInt16.self)
            for i in 0..<n {
                if let p = close(Double(FloatFormats.bfloat16ToFloat(a[i])), Double(FloatFormats.bfloat16ToFloat(e[i])), i) { return p }
            }
        case .string:
            for i in 0..<n where actual.storage.strings[i] != expected.storage.strings[i] {
                return "element \(i): \"\(actual.storage.strings[i])\", expected \"\(expected.storage.strings[i])\""
            }
        default:
            let size = expected.dataType.storageSize
            let a = actual.data.assumingMemoryBound(to: UInt8.self), e = expected.data.assumingMemoryBound(to: UInt8.self)
            for i in 0..<(n * size) where a[i] != e[i] {
                return "element \(i / size) differs (bytes at \(i)): exact match required for \(expected.dataType)"
            }
        }
        return nil
    }
}

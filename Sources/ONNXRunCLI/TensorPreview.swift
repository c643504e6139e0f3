import ONNXGraph
import Ops

/// A short text of a tensor's first elements: `[0.5, 1, 2.25, ... (+997)]`.
enum TensorPreview {
    static func text(_ t: Tensor, dtype: NpyDType, limit: Int = 8) -> String {
        let n = min(t.count, limit)
        var items: [String] = []
        items.reserveCapacity(n)
        for i in 0..<n { items.append(element(t, dtype, i)) }
        let more = t.count > n ? ", ... (+\(t.count - n))" : ""
        return "[" + items.joined(separator: ", ") + more + "]"
    }

    private static func element(_ t: Tensor, _ dtype: NpyDType, _ i: Int) -> String {
        switch dtype {
        case .float16: "\(FloatFormats.float16ToFloat(t.elements(UInt16.self)[i]))"
        case .float32: "\(t.elements(Float.self)[i])"
        case .float64: "\(t.elements(Double.self)[i])"
        case .int8: "\(t.elements(Int8.self)[i])"
        case .int16: "\(t.elements(Int16.self)[i])"
        case .int32: "\(t.elements(Int32.self)[i])"
        case .int64: "\(t.elements(Int64.self)[i])"
        case .uint8: "\(t.elements(UInt8.self)[i])"
        case .uint16: "\(t.elements(UInt16.self)[i])"
        case .uint32: "\(t.elements(UInt32.self)[i])"
        case .uint64: "\(t.elements(UInt64.self)[i])"
        case .bool: t.elements(UInt8.self)[i] != 0 ? "true" : "false"
        }
    }
}

import ONNXGraph

/// Multidirectional (numpy-style) broadcasting, as ONNX defines it for elementwise ops.
public enum Broadcast {
    /// The broadcast shape of `shapes`: aligned at the trailing dims, each dim equal or 1.
    public static func shape(_ shapes: [[Int]]) throws(OpError) -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = Array(repeating: 1, count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                let o = out[offset + i]
                if o == d || d == 1 { continue }
                if o == 1 { out[offset + i] = d; continue }
                throw OpError.shape("shapes \(shapes.map { "\($0)" }.joined(separator: ", ")) cannot be broadcast together")
            }
        }
        return out
    }

    /// Element strides of `shape` (row-major) read as `outShape`: 0 along broadcast dims.
    /// `shape` must broadcast to `outShape`.
    public static func strides(of shape: [Int], to outShape: [Int]) -> [Int] {
        var strides = Array(repeating: 0, count: outShape.count)
        var step = 1
        let offset = outShape.count - shape.count
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[offset + i] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// Row-major strides of a contiguous `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = s
            s *= shape[i]
        }
        return strides
    }
}

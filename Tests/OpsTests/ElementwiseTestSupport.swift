import ONNXGraph
@testable import Ops

/// Helpers for the Elementwise op tests (namespaced to stay clear of other families' test helpers).
enum EW {
    /// Builds `opType` with `attributes` at `opset` through the standard registry and evaluates it on
    /// `inputs` (named x0, x1, ...), returning its single output.
    static func evalOp(_ opType: String, _ inputs: [Tensor], opset: Int = 20,
                       attributes: [String: AttributeValue] = [:]) throws -> Tensor {
        let node = Node(opType: opType, inputs: inputs.indices.map { "x\($0)" }, outputs: ["y"], attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.evaluate(inputs, outputCount: 1)[0]
    }

    static func f32(_ shape: [Int], _ values: [Float]) throws -> Tensor { try Tensor(.float, shape: shape, values: values) }
    static func bools(_ shape: [Int], _ values: [Bool]) throws -> Tensor {
        try Tensor(.bool, shape: shape, values: values.map { $0 ? UInt8(1) : 0 })
    }

    /// True when every pair is within `relative` of the larger magnitude (or both are exactly equal,
    /// which covers zeros and infinities). Non-transitive; NaN equals nothing.
    static func approximatelyEqual(_ a: [Float], _ b: [Float], relative: Float) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            if !(abs(x - y) <= relative * max(abs(x), abs(y))) { return false }
        }
        return true
    }

    /// The row-major flat index into a tensor of `shape` that output index `index` (of `outShape`)
    /// reads under numpy broadcasting: a naive reference for the broadcast plan.
    static func broadcastSourceIndex(_ index: Int, outShape: [Int], shape: [Int]) -> Int {
        var rem = index
        var coords = Array(repeating: 0, count: outShape.count)
        for d in stride(from: outShape.count - 1, through: 0, by: -1) {
            coords[d] = rem % outShape[d]
            rem /= outShape[d]
        }
        var flat = 0
        let offset = outShape.count - shape.count
        for d in 0..<shape.count {
            flat = flat * shape[d] + (shape[d] == 1 ? 0 : coords[offset + d])
        }
        return flat
    }
}

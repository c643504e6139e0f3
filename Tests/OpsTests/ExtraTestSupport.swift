import ONNXGraph
@testable import Ops

/// Helpers for the tests of the extra ops (Exp … Sum, Size, Flatten, ReduceMin).
enum XT {
    /// Builds `opType` at `opset` with `attributes` through the standard registry and evaluates it
    /// on `inputs` (nil = an omitted optional input), returning output 0.
    static func run(_ opType: String, _ inputs: [Tensor?], opset: Int,
                    _ attributes: [String: AttributeValue] = [:]) throws -> Tensor {
        let node = Node(opType: opType, inputs: inputs.enumerated().map { $1 == nil ? "" : "x\($0)" },
                        outputs: ["y"], attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.evaluate(inputs, outputCount: 1)[0]
    }

    /// Output facts of `opType` at `opset` for input facts `inputs` (nil = omitted).
    static func infer(_ opType: String, _ inputs: [TensorType?], opset: Int,
                      _ attributes: [String: AttributeValue] = [:]) throws -> [TensorType] {
        let node = Node(opType: opType, inputs: inputs.enumerated().map { $1 == nil ? "" : "x\($0)" },
                        outputs: ["y"], attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.inferTypes(inputs, NodeAttributes(node, opset: opset))
    }

    static func f32(_ shape: [Int], _ v: [Float]) throws -> Tensor { try Tensor(.float, shape: shape, values: v) }
    static func f64(_ shape: [Int], _ v: [Double]) throws -> Tensor { try Tensor(.double, shape: shape, values: v) }
    static func i64(_ shape: [Int], _ v: [Int64]) throws -> Tensor { try Tensor(.int64, shape: shape, values: v) }
    /// A 16-bit float tensor (`dataType` .float16 or .bfloat16) from bit patterns.
    static func half(_ dataType: DataType, _ shape: [Int], _ bits: [UInt16]) throws -> Tensor {
        try Tensor(dataType, shape: shape, values: bits)
    }

    /// Bit patterns, so that -0 differs from 0 and NaN equals NaN (for exact float expectations).
    static func bits(_ t: Tensor) -> [UInt32] { t.toArray(Float.self).map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern } }
    static func bits(_ v: [Float]) -> [UInt32] { v.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern } }

    /// True when every pair is within `relative` of the larger magnitude or exactly equal.
    static func close(_ a: [Float], _ b: [Float], relative: Float = 1e-6) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            if !(abs(x - y) <= relative * max(abs(x), abs(y))) { return false }
        }
        return true
    }
}

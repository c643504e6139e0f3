import ONNXGraph
import Ops

/// Builders shared by the Movement op tests.
enum MV {
    /// Runs `opType` at `opset` on `inputs` (nil = omitted) and returns its outputs.
    static func run(_ opType: String, _ inputs: [Tensor?], _ attributes: [String: AttributeValue] = [:],
                    opset: Int = 21, outputs: Int = 1) throws -> [Tensor] {
        let node = Node(opType: opType, inputs: inputs.enumerated().map { $1 == nil ? "" : "x\($0)" },
                        outputs: (0..<outputs).map { "y\($0)" }, attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.evaluate(inputs, outputCount: outputs)
    }

    static func run1(_ opType: String, _ inputs: [Tensor?], _ attributes: [String: AttributeValue] = [:],
                     opset: Int = 21) throws -> Tensor {
        try run(opType, inputs, attributes, opset: opset)[0]
    }

    /// Shape facts from `inferTypes`.
    static func infer(_ opType: String, _ inputs: [TensorType?], _ attributes: [String: AttributeValue] = [:],
                      opset: Int = 21, outputs: Int = 1) throws -> [TensorType] {
        let node = Node(opType: opType, inputs: inputs.enumerated().map { $1 == nil ? "" : "x\($0)" },
                        outputs: (0..<outputs).map { "y\($0)" }, attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.inferTypes(inputs, NodeAttributes(node, opset: opset))
    }

    /// float tensor holding 0, 1, 2, ... in `shape`.
    static func iota(_ shape: [Int]) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor(.float, shape: shape, values: (0..<n).map { Float($0) })
    }

    static func f32(_ shape: [Int], _ v: [Float]) throws -> Tensor { try Tensor(.float, shape: shape, values: v) }
    static func i64(_ shape: [Int], _ v: [Int64]) throws -> Tensor { try Tensor(.int64, shape: shape, values: v) }
    static func i32(_ shape: [Int], _ v: [Int32]) throws -> Tensor { try Tensor(.int32, shape: shape, values: v) }
    static func vec(_ v: [Int64]) throws -> Tensor { try i64([v.count], v) }
    static func str(_ shape: [Int], _ v: [String]) throws -> Tensor { try Tensor(strings: v, shape: shape) }

    static func floats(_ t: Tensor) -> [Float] { t.toArray(Float.self) }
    static func ints(_ t: Tensor) -> [Int64] { t.toArray(Int64.self) }

    /// True when running the op throws an `OpError` (and does not crash).
    static func fails(_ opType: String, _ inputs: [Tensor?], _ attributes: [String: AttributeValue] = [:],
                      opset: Int = 21, outputs: Int = 1) -> Bool {
        do {
            _ = try run(opType, inputs, attributes, opset: opset, outputs: outputs)
            return false
        } catch is OpError {
            return true
        } catch {
            return false
        }
    }
}

import Testing
import ONNXGraph
import Ops

/// Helpers for the Reduction and Normalization op tests: build one node, evaluate it outside a plan.
enum RNFixture {
    /// Evaluates `opType` at `opset` on `inputs` (nil = omitted optional input) with `attributes`.
    @discardableResult
    static func run(_ opType: String, opset: Int, _ inputs: [Tensor?], _ attributes: [String: AttributeValue] = [:],
                    outputs: Int = 1) throws -> [Tensor] {
        let node = Node(opType: opType, inputs: inputs.enumerated().map { $0.element == nil ? "" : "in\($0.offset)" },
                        outputs: (0..<outputs).map { "out\($0)" }, attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.evaluate(inputs, outputCount: outputs)
    }

    static func f32(_ shape: [Int], _ values: [Float]) throws -> Tensor {
        try Tensor(.float, shape: shape, values: values)
    }

    /// A 1-D int64 tensor (axes, K).
    static func i64(_ values: [Int64]) throws -> Tensor {
        try Tensor(.int64, shape: [values.count], values: values)
    }

    /// Expects |actual[i] - expected[i]| <= atol + rtol·|expected[i]| everywhere (NaN matches NaN,
    /// infinities must match exactly).
    static func expectClose(_ actual: [Float], _ expected: [Double], rtol: Double = 1e-5, atol: Double = 1e-6,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let ad = Double(a)
            let ok = e.isNaN ? ad.isNaN : (e.isInfinite ? ad == e : abs(ad - e) <= atol + rtol * abs(e))
            #expect(ok, "element \(i): \(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }
}

import ONNXGraph
import Ops
import Testing

/// `ai.onnxrun::QuantizedMatMulFloat` evaluated directly, against a scalar reference written
/// here: `y = Float(Σ (a − za)(b − zb)) · (s · s_b) + bias`, each operation rounded to float.
@Suite struct QuantizedMatMulFloatTests {
    static func op(inputs: Int = 7) throws -> any Operator {
        let names = ["a", "b", "za", "zb", "s", "sb", "bias"].prefix(inputs)
        let node = Node(opType: "QuantizedMatMulFloat", domain: "ai.onnxrun", inputs: Array(names), outputs: ["y"])
        return try OpRegistry.standard.makeOperator(node, opset: 1)
    }

    /// The reference on plain arrays (A m×k, B k×n row-major).
    static func reference(a: [Int32], b: [Int32], m: Int, k: Int, n: Int, za: Int32, zb: [Int32],
                          scale: Float, scaleB: [Float], bias: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var acc: Int32 = 0
                for p in 0..<k { acc &+= (a[i * k + p] - za) &* (b[p * n + j] - zb[zb.count == 1 ? 0 : j]) }
                let s = scale * scaleB[scaleB.count == 1 ? 0 : j]
                var v = Float(acc) * s
                if let bias { v = v + bias[j] }
                y[i * n + j] = v
            }
        }
        return y
    }

    @Test(arguments: [(1, 5, 3), (4, 37, 20), (7, 259, 65), (3, 0, 4)])
    func matchesTheScalarReference(_ m: Int, _ k: Int, _ n: Int) throws {
        var rng = SeededRandom(UInt64(m * 1000 + k * 10 + n))
        let a = try Fixtures.uint8s(&rng, [m, k]), b = try Fixtures.int8s(&rng, [k, n])
        let zb = try Fixtures.int8s(&rng, [n])
        let za = try Tensor(.uint8, shape: [], values: [UInt8(131)])
        let sb = try Fixtures.floats(&rng, [n], 0.001, 0.01)
        let s = try Tensor(.float, shape: [], values: [Float(0.0371)])
        let bias = try Fixtures.floats(&rng, [1, n])
        let expected = Self.reference(a: a.toArray(UInt8.self).map(Int32.init), b: b.toArray(Int8.self).map(Int32.init),
                                      m: m, k: k, n: n, za: 131, zb: zb.toArray(Int8.self).map(Int32.init),
                                      scale: 0.0371, scaleB: sb.toArray(Float.self), bias: bias.toArray(Float.self))
        // Unpacked B, then B packed as a plan would; scale and scale_b in either order.
        let packed = try #require(try Self.op() as? any PrepacksConstantInput).prepacking(constant: b)
        for (op, bInput) in [(try Self.op(), Optional(b)), (packed as any Operator, nil)] {
            for (x, y) in [(s, sb), (sb, s)] {
                let out = try op.evaluate([a, bInput, za, zb, x, y, bias], outputCount: 1)[0]
                #expect(out.shape == [m, n])
                #expect(out.toArray(Float.self).map(\.bitPattern) == expected.map(\.bitPattern))
            }
        }
    }

    @Test func rankOneAAndBroadcastRanks() throws {
        var rng = SeededRandom(9)
        let a = try Fixtures.int8s(&rng, [6]), b = try Fixtures.int8s(&rng, [6, 3])
        let s = try Tensor(.float, shape: [1, 1, 3], values: [Float(0.5), 0.25, 0.125])
        let out = try Self.op(inputs: 5).evaluate([a, b, nil, nil, s], outputCount: 1)[0]
        #expect(out.shape == [1, 1, 3])
        let expected = Self.reference(a: a.toArray(Int8.self).map(Int32.init), b: b.toArray(Int8.self).map(Int32.init),
                                      m: 1, k: 6, n: 3, za: 0, zb: [0], scale: 1, scaleB: [0.5, 0.25, 0.125], bias: nil)
        #expect(out.toArray(Float.self) == expected)
    }

    @Test func badInputsThrow() throws {
        var rng = SeededRandom(4)
        let a = try Fixtures.uint8s(&rng, [2, 4]), b = try Fixtures.int8s(&rng, [4, 3])
        let s = try Tensor(.float, shape: [], values: [Float(1)])
        let op = try Self.op()
        // Bias of one element (not per column), scale per row, inner dims differing, float A.
        #expect(throws: OpError.self) { try op.evaluate([a, b, nil, nil, s, nil, s], outputCount: 1) }
        #expect(throws: OpError.self) {
            try op.evaluate([a, b, nil, nil, try Tensor(.float, shape: [2, 1], values: [Float(1), 2])], outputCount: 1)
        }
        #expect(throws: OpError.self) { try op.evaluate([a, a, nil, nil, s], outputCount: 1) }
        #expect(throws: OpError.self) { try op.evaluate([s, b, nil, nil, s], outputCount: 1) }
        let three = try Tensor(.float, shape: [3], values: [Float(1), 2, 3])
        #expect(throws: OpError.self) { try op.evaluate([a, b, nil, nil, three, three], outputCount: 1) }
        #expect(throws: OpError.self) {
            try OpRegistry.standard.makeOperator(Node(opType: "QuantizedMatMulFloat", domain: "ai.onnxrun",
                                                      inputs: ["a", "b"], outputs: ["y"]), opset: 1)
        }
    }
}

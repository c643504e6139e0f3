import Testing
import ONNXGraph
@testable import Ops

// ArgMax and TopK. Expected values: numpy argmax / a stable argsort (ties: lower index first),
// pasted from a one-off script run with /work/main/.venv/bin/python; indices compared exactly.

/// A [2, 3, 4] float input of small integers (with ties), also read as [6, 4] for TopK.
private let a234: [Float] = [-1, 1, -3, 3, 4, -4, -0.0, -2, -4, 4, -1, -4, 2, -3, 4, -3, -5, -3, -2, -0.0, 4, 2, -2, -5]

@Suite struct ReductionIndexTests {
    @Test(arguments: [
        (0, [2, 3, 4] as [Int], [1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0] as [Int64]),
        (1, [2, 1, 4], [1, 2, 1, 0, 2, 2, 0, 1]),
        (2, [2, 3, 1], [3, 0, 1, 2, 3, 0]),
        (-1, [2, 3, 1], [3, 0, 1, 2, 3, 0]),
    ])
    func argMax(axis: Int, keptShape: [Int], expected: [Int64]) throws {
        let x = try RNFixture.f32([2, 3, 4], a234)
        let y = try RNFixture.run("ArgMax", opset: 13, [x], ["axis": .int(axis)])[0]
        #expect(y.dataType == .int64)
        #expect(y.toArray(Int64.self) == expected)
        if axis == 0 { return }
        #expect(y.shape == keptShape)
        let n = try RNFixture.run("ArgMax", opset: 13, [x], ["axis": .int(axis), "keepdims": .int(0)])[0]
        #expect(n.shape == keptShape.enumerated().filter { $0.offset != (axis + 3) % 3 }.map(\.element))
    }

    @Test func argMaxSelectLastIndex() throws {
        // numpy: [[2, 2], [3, 10]] along axis 1: first [0, 1], last [1, 1];
        // [[1, 5, 5], [1, 2, 5]] along axis 0: first [0, 0, 0], last [1, 0, 1].
        let a = try RNFixture.f32([2, 2], [2, 2, 3, 10])
        #expect(try RNFixture.run("ArgMax", opset: 12, [a], ["axis": .int(1), "keepdims": .int(0)])[0].toArray(Int64.self) == [0, 1])
        #expect(try RNFixture.run("ArgMax", opset: 12, [a], ["axis": .int(1), "keepdims": .int(0), "select_last_index": .int(1)])[0]
            .toArray(Int64.self) == [1, 1])
        let b = try Tensor(.int32, shape: [2, 3], values: [Int32(1), 5, 5, 1, 2, 5])
        #expect(try RNFixture.run("ArgMax", opset: 13, [b])[0].toArray(Int64.self) == [0, 0, 0])
        #expect(try RNFixture.run("ArgMax", opset: 13, [b], ["select_last_index": .int(1)])[0].toArray(Int64.self) == [1, 0, 1])
        // Before opset 12 the attribute does not exist and is ignored.
        #expect(try RNFixture.run("ArgMax", opset: 11, [b], ["select_last_index": .int(1)])[0].toArray(Int64.self) == [0, 0, 0])
    }

    @Test func argMaxBadInput() throws {
        let x = try RNFixture.f32([2, 3], [1, 2, 3, 4, 5, 6])
        #expect(throws: OpError.self) { try RNFixture.run("ArgMax", opset: 13, [x], ["axis": .int(2)]) }
        #expect(throws: OpError.self) { try RNFixture.run("ArgMax", opset: 13, [x], ["axis": .int(-3)]) }
        #expect(throws: OpError.self) { try RNFixture.run("ArgMax", opset: 13, [try Tensor(allocating: .float, shape: [2, 0])], ["axis": .int(1)]) }
        #expect(throws: OpError.self) { try RNFixture.run("ArgMax", opset: 13, [try Tensor(.bool, shape: [1], values: [UInt8(1)])]) }
    }

    @Test(arguments: [
        (1, 1, 3, [3, 1, -1, 4, -0.0, -2, 4, -1, -4, 4, 2, -3, -0.0, -2, -3, 4, 2, -2] as [Float],
         [3, 1, 0, 0, 2, 3, 1, 2, 0, 2, 0, 1, 3, 2, 1, 0, 1, 2] as [Int64]),
        (1, 0, 3, [-3, -1, 1, -4, -2, -0.0, -4, -4, -1, -3, -3, 2, -5, -3, -2, -5, -2, 2],
         [2, 0, 1, 1, 3, 2, 0, 3, 2, 1, 3, 0, 0, 1, 2, 3, 2, 1]),
        (0, 1, 4, [4, 4, 4, 3, 4, 2, -0.0, -0.0, 2, 1, -1, -2, -1, -3, -2, -3],
         [1, 2, 3, 0, 5, 5, 1, 4, 3, 0, 2, 1, 0, 3, 4, 3]),
        (0, 0, 4, [-5, -4, -3, -5, -4, -3, -2, -4, -1, -3, -2, -3, 2, 1, -1, -2],
         [4, 1, 0, 5, 2, 3, 4, 2, 0, 4, 5, 3, 3, 0, 2, 1]),
    ])
    func topK(axis: Int, largest: Int, k: Int, values: [Float], indices: [Int64]) throws {
        let x = try RNFixture.f32([6, 4], a234)
        let out = try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([Int64(k)])],
                                    ["axis": .int(axis), "largest": .int(largest)], outputs: 2)
        #expect(out[0].shape == (axis == 1 ? [6, k] : [k, 4]))
        #expect(out[0].toArray(Float.self) == values)
        #expect(out[1].toArray(Int64.self) == indices)
    }

    @Test func topKTies() throws {
        // Equal values keep index order: largest [3, 3, 2] at [0, 2, 4]; smallest [1, 1, 2] at [1, 3, 4].
        let x = try Tensor(.int32, shape: [5], values: [Int32(3), 1, 3, 1, 2])
        let k = try RNFixture.i64([3])
        let big = try RNFixture.run("TopK", opset: 11, [x, k], outputs: 2)
        #expect(big[0].toArray(Int32.self) == [3, 3, 2] && big[1].toArray(Int64.self) == [0, 2, 4])
        let small = try RNFixture.run("TopK", opset: 24, [x, k], ["largest": .int(0)], outputs: 2)
        #expect(small[0].toArray(Int32.self) == [1, 1, 2] && small[1].toArray(Int64.self) == [1, 3, 4])
        // All equal (the node test "same_values"): indices 0, 1, 2.
        let same = try RNFixture.run("TopK", opset: 11, [try RNFixture.f32([1, 4], [7, 7, 7, 7]), k], outputs: 2)
        #expect(same[1].toArray(Int64.self) == [0, 1, 2])
    }

    @Test func topKOpsetForms() throws {
        let x = try RNFixture.f32([2, 3], [1, 9, 5, 6, 4, 8])
        // Opset 1: k is an attribute.
        let a = try RNFixture.run("TopK", opset: 1, [x], ["k": .int(2)], outputs: 2)
        #expect(a[0].toArray(Float.self) == [9, 5, 8, 6] && a[1].toArray(Int64.self) == [1, 2, 2, 0])
        // Opset 10: k is an input; largest/sorted do not exist yet.
        let b = try RNFixture.run("TopK", opset: 10, [x, try RNFixture.i64([1])], ["axis": .int(0)], outputs: 2)
        #expect(b[0].toArray(Float.self) == [6, 9, 8] && b[1].toArray(Int64.self) == [1, 0, 1])
        // k = 0: empty outputs.
        let c = try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([0])], outputs: 2)
        #expect(c[0].shape == [2, 0] && c[1].shape == [2, 0])
        // bfloat16 from opset 24 only; float16 always.
        let bf = try Tensor(.bfloat16, shape: [3], values: [1, 3, 2].map { FloatFormats.floatToBfloat16($0) })
        let y = try RNFixture.run("TopK", opset: 24, [bf, try RNFixture.i64([2])], outputs: 2)
        #expect(y[0].toArray(UInt16.self).map(FloatFormats.bfloat16ToFloat) == [3, 2] && y[1].toArray(Int64.self) == [1, 2])
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 23, [bf, try RNFixture.i64([2])], outputs: 2) }
    }

    @Test func topKBadInput() throws {
        let x = try RNFixture.f32([2, 3], [1, 9, 5, 6, 4, 8])
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([4])], outputs: 2) }
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([-1])], outputs: 2) }
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([1])], ["axis": .int(2)], outputs: 2) }
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([1, 2])], outputs: 2) }
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 1, [x], outputs: 2) }
        let ints = try Tensor(.int32, shape: [2], values: [Int32(1), 2])
        #expect(throws: OpError.self) { try RNFixture.run("TopK", opset: 10, [ints, try RNFixture.i64([1])], outputs: 2) }
    }

    @Test func inferredTypes() throws {
        let x = TensorType(.float, [.symbol("batch"), .value(5), .value(7)])
        let argNode = Node(opType: "ArgMax", inputs: ["x"], outputs: ["y"], attributes: ["axis": .int(-1), "keepdims": .int(0)])
        let argAttrs = NodeAttributes(argNode, opset: 13)
        #expect(try ArgMax(argAttrs).inferTypes([x], argAttrs) == [TensorType(.int64, [.symbol("batch"), .value(5)])])
        let topNode = Node(opType: "TopK", inputs: ["x"], outputs: ["v", "i"], attributes: ["k": .int(2), "axis": .int(1)])
        let topAttrs = NodeAttributes(topNode, opset: 1)
        let dims: [Dim] = [.symbol("batch"), .value(2), .value(7)]
        #expect(try TopK(topAttrs).inferTypes([x], topAttrs) == [TensorType(.float, dims), TensorType(.int64, dims)])
        let lnNode = Node(opType: "LayerNormalization", inputs: ["x", "s"], outputs: ["y", "m", "r"], attributes: ["axis": .int(1)])
        let lnAttrs = NodeAttributes(lnNode, opset: 17)
        let ln = try LayerNormalization(lnAttrs).inferTypes([TensorType(.float16, [.symbol("b"), .value(3), .value(4)]), nil], lnAttrs)
        let stat = TensorType(.float, [.symbol("b"), .value(1), .value(1)])
        #expect(ln == [TensorType(.float16, [.symbol("b"), .value(3), .value(4)]), stat, stat])
        let smNode = Node(opType: "Softmax", inputs: ["x"], outputs: ["y"], attributes: ["axis": .int(3)])
        #expect(throws: OpError.self) { try Softmax(NodeAttributes(smNode, opset: 13)).inferTypes([TensorType(.float, shape: [2, 3])], NodeAttributes(smNode, opset: 13)) }
    }

    /// Shapes with a 0 dim may hold dims whose product overflows Int: every op must answer (an
    /// empty result or an OpError) without trapping.
    @Test func zeroSizedHugeShapesDoNotTrap() throws {
        let big = 1 << 40
        let x = try Tensor(allocating: .float, shape: [big, 0, big])
        let axes = try RNFixture.i64([1])
        for op in ["ReduceSum", "ReduceMean", "ReduceMax"] {
            #expect(throws: OpError.self) { try RNFixture.run(op, opset: 18, [x, axes]) }
            let kept = try RNFixture.run(op, opset: 18, [x, try RNFixture.i64([0, 2])], ["keepdims": .int(0)])[0]
            #expect(kept.shape == [0])
        }
        #expect(throws: OpError.self) { try RNFixture.run("ArgMax", opset: 13, [x], ["axis": .int(1)]) }
        #expect(try RNFixture.run("ArgMax", opset: 13, [x], ["axis": .int(0)])[0].count == 0)
        let top = try RNFixture.run("TopK", opset: 11, [x, try RNFixture.i64([0])], ["axis": .int(0)], outputs: 2)
        #expect(top[0].count == 0 && top[1].count == 0)
        #expect(try RNFixture.run("Softmax", opset: 13, [x], ["axis": .int(0)])[0].count == 0)
        #expect(try RNFixture.run("LogSoftmax", opset: 11, [x], ["axis": .int(1)])[0].count == 0)
        let ln = try RNFixture.run("LayerNormalization", opset: 17, [x, try RNFixture.f32([1], [1])], ["axis": .int(2)], outputs: 3)
        #expect(ln[0].count == 0 && ln[1].shape == [big, 0, 1])
    }
}

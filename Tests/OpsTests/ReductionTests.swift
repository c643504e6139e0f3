import Testing
import ONNXGraph
@testable import Ops

// Expected values: numpy (np.sum / np.mean / np.max in float64 on the float32 input, argmax,
// a stable argsort for TopK), pasted from a one-off script run with /work/main/.venv/bin/python.
// Float32 results: |a - e| <= 1e-6 + 1e-5·|e|; integer and index results exact.

struct ReduceCase: Sendable, CustomTestStringConvertible {
    let op: String
    let axes: [Int]
    let keepdims: Int
    let shape: [Int]
    let expected: [Double]
    var testDescription: String { "\(op) axes \(axes) keepdims \(keepdims)" }
}

let r234: [Float] = [-3.700000047683716, -0.0, 1.0, -4.699999809265137, -3.5, 4.300000190734863, -4.300000190734863, -3.700000047683716, 4.5, 1.2000000476837158, -1.2999999523162842, 0.10000000149011612, 1.600000023841858, -2.200000047683716, -3.5999999046325684, 2.9000000953674316, 1.7000000476837158, 0.10000000149011612, 3.200000047683716, 0.5, 4.800000190734863, -3.0, 0.5, -0.20000000298023224]
let reduceCases: [ReduceCase] = [
    ReduceCase(op: "ReduceSum", axes: [0], keepdims: 0, shape: [3, 4], expected: [-2.100000023841858, -2.200000047683716, -2.5999999046325684, -1.799999713897705, -1.7999999523162842, 4.400000192224979, -1.1000001430511475, -3.200000047683716, 9.300000190734863, -1.7999999523162842, -0.7999999523162842, -0.10000000149011612]),
    ReduceCase(op: "ReduceSum", axes: [0], keepdims: 1, shape: [1, 3, 4], expected: [-2.100000023841858, -2.200000047683716, -2.5999999046325684, -1.799999713897705, -1.7999999523162842, 4.400000192224979, -1.1000001430511475, -3.200000047683716, 9.300000190734863, -1.7999999523162842, -0.7999999523162842, -0.10000000149011612]),
    ReduceCase(op: "ReduceSum", axes: [1], keepdims: 0, shape: [2, 4], expected: [-2.700000047683716, 5.500000238418579, -4.6000001430511475, -8.299999855458736, 8.100000262260437, -5.1000000461936, 0.10000014305114746, 3.2000000923871994]),
    ReduceCase(op: "ReduceSum", axes: [1], keepdims: 1, shape: [2, 1, 4], expected: [-2.700000047683716, 5.500000238418579, -4.6000001430511475, -8.299999855458736, 8.100000262260437, -5.1000000461936, 0.10000014305114746, 3.2000000923871994]),
    ReduceCase(op: "ReduceSum", axes: [2], keepdims: 0, shape: [2, 3], expected: [-7.3999998569488525, -7.200000047683716, 4.500000096857548, -1.2999998331069946, 5.500000096857548, 2.100000187754631]),
    ReduceCase(op: "ReduceSum", axes: [2], keepdims: 1, shape: [2, 3, 1], expected: [-7.3999998569488525, -7.200000047683716, 4.500000096857548, -1.2999998331069946, 5.500000096857548, 2.100000187754631]),
    ReduceCase(op: "ReduceSum", axes: [-1], keepdims: 0, shape: [2, 3], expected: [-7.3999998569488525, -7.200000047683716, 4.500000096857548, -1.2999998331069946, 5.500000096857548, 2.100000187754631]),
    ReduceCase(op: "ReduceSum", axes: [-1], keepdims: 1, shape: [2, 3, 1], expected: [-7.3999998569488525, -7.200000047683716, 4.500000096857548, -1.2999998331069946, 5.500000096857548, 2.100000187754631]),
    ReduceCase(op: "ReduceSum", axes: [0, 2], keepdims: 0, shape: [3], expected: [-8.699999690055847, -1.699999950826168, 6.600000284612179]),
    ReduceCase(op: "ReduceSum", axes: [0, 2], keepdims: 1, shape: [1, 3, 1], expected: [-8.699999690055847, -1.699999950826168, 6.600000284612179]),
    ReduceCase(op: "ReduceSum", axes: [0, 1], keepdims: 0, shape: [4], expected: [5.400000214576721, 0.4000001922249794, -4.5, -5.099999763071537]),
    ReduceCase(op: "ReduceSum", axes: [0, 1], keepdims: 1, shape: [1, 1, 4], expected: [5.400000214576721, 0.4000001922249794, -4.5, -5.099999763071537]),
    ReduceCase(op: "ReduceSum", axes: [1, 2], keepdims: 0, shape: [2], expected: [-10.09999980777502, 6.300000451505184]),
    ReduceCase(op: "ReduceSum", axes: [1, 2], keepdims: 1, shape: [2, 1, 1], expected: [-10.09999980777502, 6.300000451505184]),
    ReduceCase(op: "ReduceSum", axes: [], keepdims: 0, shape: [], expected: [-3.7999993562698364]),
    ReduceCase(op: "ReduceSum", axes: [], keepdims: 1, shape: [1, 1, 1], expected: [-3.7999993562698364]),
    ReduceCase(op: "ReduceMean", axes: [0], keepdims: 0, shape: [3, 4], expected: [-1.050000011920929, -1.100000023841858, -1.2999999523162842, -0.8999998569488525, -0.8999999761581421, 2.2000000961124897, -0.5500000715255737, -1.600000023841858, 4.650000095367432, -0.8999999761581421, -0.3999999761581421, -0.05000000074505806]),
    ReduceCase(op: "ReduceMean", axes: [0], keepdims: 1, shape: [1, 3, 4], expected: [-1.050000011920929, -1.100000023841858, -1.2999999523162842, -0.8999998569488525, -0.8999999761581421, 2.2000000961124897, -0.5500000715255737, -1.600000023841858, 4.650000095367432, -0.8999999761581421, -0.3999999761581421, -0.05000000074505806]),
    ReduceCase(op: "ReduceMean", axes: [1], keepdims: 0, shape: [2, 4], expected: [-0.9000000158945719, 1.833333412806193, -1.533333381017049, -2.7666666184862456, 2.7000000874201455, -1.7000000153978665, 0.033333381017049156, 1.0666666974623997]),
    ReduceCase(op: "ReduceMean", axes: [1], keepdims: 1, shape: [2, 1, 4], expected: [-0.9000000158945719, 1.833333412806193, -1.533333381017049, -2.7666666184862456, 2.7000000874201455, -1.7000000153978665, 0.033333381017049156, 1.0666666974623997]),
    ReduceCase(op: "ReduceMean", axes: [2], keepdims: 0, shape: [2, 3], expected: [-1.8499999642372131, -1.800000011920929, 1.125000024214387, -0.32499995827674866, 1.375000024214387, 0.5250000469386578]),
    ReduceCase(op: "ReduceMean", axes: [2], keepdims: 1, shape: [2, 3, 1], expected: [-1.8499999642372131, -1.800000011920929, 1.125000024214387, -0.32499995827674866, 1.375000024214387, 0.5250000469386578]),
    ReduceCase(op: "ReduceMean", axes: [-1], keepdims: 0, shape: [2, 3], expected: [-1.8499999642372131, -1.800000011920929, 1.125000024214387, -0.32499995827674866, 1.375000024214387, 0.5250000469386578]),
    ReduceCase(op: "ReduceMean", axes: [-1], keepdims: 1, shape: [2, 3, 1], expected: [-1.8499999642372131, -1.800000011920929, 1.125000024214387, -0.32499995827674866, 1.375000024214387, 0.5250000469386578]),
    ReduceCase(op: "ReduceMean", axes: [0, 2], keepdims: 0, shape: [3], expected: [-1.087499961256981, -0.212499993853271, 0.8250000355765224]),
    ReduceCase(op: "ReduceMean", axes: [0, 2], keepdims: 1, shape: [1, 3, 1], expected: [-1.087499961256981, -0.212499993853271, 0.8250000355765224]),
    ReduceCase(op: "ReduceMean", axes: [0, 1], keepdims: 0, shape: [4], expected: [0.9000000357627869, 0.06666669870416324, -0.75, -0.8499999605119228]),
    ReduceCase(op: "ReduceMean", axes: [0, 1], keepdims: 1, shape: [1, 1, 4], expected: [0.9000000357627869, 0.06666669870416324, -0.75, -0.8499999605119228]),
    ReduceCase(op: "ReduceMean", axes: [1, 2], keepdims: 0, shape: [2], expected: [-0.8416666506479183, 0.525000037625432]),
    ReduceCase(op: "ReduceMean", axes: [1, 2], keepdims: 1, shape: [2, 1, 1], expected: [-0.8416666506479183, 0.525000037625432]),
    ReduceCase(op: "ReduceMean", axes: [], keepdims: 0, shape: [], expected: [-0.1583333065112432]),
    ReduceCase(op: "ReduceMean", axes: [], keepdims: 1, shape: [1, 1, 1], expected: [-0.1583333065112432]),
    ReduceCase(op: "ReduceMax", axes: [0], keepdims: 0, shape: [3, 4], expected: [1.600000023841858, -0.0, 1.0, 2.9000000953674316, 1.7000000476837158, 4.300000190734863, 3.200000047683716, 0.5, 4.800000190734863, 1.2000000476837158, 0.5, 0.10000000149011612]),
    ReduceCase(op: "ReduceMax", axes: [0], keepdims: 1, shape: [1, 3, 4], expected: [1.600000023841858, -0.0, 1.0, 2.9000000953674316, 1.7000000476837158, 4.300000190734863, 3.200000047683716, 0.5, 4.800000190734863, 1.2000000476837158, 0.5, 0.10000000149011612]),
    ReduceCase(op: "ReduceMax", axes: [1], keepdims: 0, shape: [2, 4], expected: [4.5, 4.300000190734863, 1.0, 0.10000000149011612, 4.800000190734863, 0.10000000149011612, 3.200000047683716, 2.9000000953674316]),
    ReduceCase(op: "ReduceMax", axes: [1], keepdims: 1, shape: [2, 1, 4], expected: [4.5, 4.300000190734863, 1.0, 0.10000000149011612, 4.800000190734863, 0.10000000149011612, 3.200000047683716, 2.9000000953674316]),
    ReduceCase(op: "ReduceMax", axes: [2], keepdims: 0, shape: [2, 3], expected: [1.0, 4.300000190734863, 4.5, 2.9000000953674316, 3.200000047683716, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [2], keepdims: 1, shape: [2, 3, 1], expected: [1.0, 4.300000190734863, 4.5, 2.9000000953674316, 3.200000047683716, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [-1], keepdims: 0, shape: [2, 3], expected: [1.0, 4.300000190734863, 4.5, 2.9000000953674316, 3.200000047683716, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [-1], keepdims: 1, shape: [2, 3, 1], expected: [1.0, 4.300000190734863, 4.5, 2.9000000953674316, 3.200000047683716, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [0, 2], keepdims: 0, shape: [3], expected: [2.9000000953674316, 4.300000190734863, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [0, 2], keepdims: 1, shape: [1, 3, 1], expected: [2.9000000953674316, 4.300000190734863, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [0, 1], keepdims: 0, shape: [4], expected: [4.800000190734863, 4.300000190734863, 3.200000047683716, 2.9000000953674316]),
    ReduceCase(op: "ReduceMax", axes: [0, 1], keepdims: 1, shape: [1, 1, 4], expected: [4.800000190734863, 4.300000190734863, 3.200000047683716, 2.9000000953674316]),
    ReduceCase(op: "ReduceMax", axes: [1, 2], keepdims: 0, shape: [2], expected: [4.5, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [1, 2], keepdims: 1, shape: [2, 1, 1], expected: [4.5, 4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [], keepdims: 0, shape: [], expected: [4.800000190734863]),
    ReduceCase(op: "ReduceMax", axes: [], keepdims: 1, shape: [1, 1, 1], expected: [4.800000190734863]),
]

/// Opset where the axes attribute was last used, per op (the input form starts one version later).
private func attributeOpset(_ op: String) -> Int { op == "ReduceSum" ? 11 : 13 }
private func inputOpset(_ op: String) -> Int { op == "ReduceSum" ? 13 : 18 }

@Suite struct ReductionTests {
    @Test(arguments: reduceCases)
    func axesAsInput(_ c: ReduceCase) throws {
        let x = try RNFixture.f32([2, 3, 4], r234)
        let inputs: [Tensor?] = c.axes.isEmpty ? [x] : [x, try RNFixture.i64(c.axes.map(Int64.init))]
        let y = try RNFixture.run(c.op, opset: inputOpset(c.op), inputs, ["keepdims": .int(c.keepdims)])[0]
        #expect(y.shape == c.shape)
        RNFixture.expectClose(y.toArray(Float.self), c.expected)
        // The newest opset reads the same input form.
        let y28 = try RNFixture.run(c.op, opset: 28, inputs, ["keepdims": .int(c.keepdims)])[0]
        RNFixture.expectClose(y28.toArray(Float.self), c.expected)
    }

    @Test(arguments: reduceCases)
    func axesAsAttribute(_ c: ReduceCase) throws {
        let x = try RNFixture.f32([2, 3, 4], r234)
        var attrs: [String: AttributeValue] = ["keepdims": .int(c.keepdims)]
        if !c.axes.isEmpty { attrs["axes"] = .ints(c.axes) }
        let y = try RNFixture.run(c.op, opset: attributeOpset(c.op), [x], attrs)[0]
        #expect(y.shape == c.shape)
        RNFixture.expectClose(y.toArray(Float.self), c.expected)
        let y1 = try RNFixture.run(c.op, opset: 1, [x], attrs)[0]
        RNFixture.expectClose(y1.toArray(Float.self), c.expected)
    }

    @Test(arguments: ["ReduceSum", "ReduceMean", "ReduceMax"])
    func emptyAxesWithNoopIsIdentity(op: String) throws {
        let x = try RNFixture.f32([2, 3, 4], r234)
        let y = try RNFixture.run(op, opset: inputOpset(op), [x, try RNFixture.i64([])], ["noop_with_empty_axes": .int(1)])[0]
        #expect(y.shape == [2, 3, 4])
        #expect(y.toArray(Float.self) == r234)
        // Without noop, empty axes reduce everything.
        let all = try RNFixture.run(op, opset: inputOpset(op), [x, try RNFixture.i64([])], ["keepdims": .int(0)])[0]
        #expect(all.shape == [])
    }

    @Test func emptySet() throws {
        let x = try Tensor(allocating: .float, shape: [2, 0, 4])
        let axes = try RNFixture.i64([1])
        let sum = try RNFixture.run("ReduceSum", opset: 13, [x, axes])[0]
        #expect(sum.shape == [2, 1, 4])
        #expect(sum.toArray(Float.self) == Array(repeating: 0, count: 8))
        let max = try RNFixture.run("ReduceMax", opset: 18, [x, axes])[0]
        #expect(max.toArray(Float.self) == Array(repeating: -.infinity, count: 8))
        let mean = try RNFixture.run("ReduceMean", opset: 18, [x, axes])[0]
        #expect(mean.toArray(Float.self).allSatisfy { $0.isNaN })
        // A kept axis of extent 0: the output is empty too.
        let none = try RNFixture.run("ReduceSum", opset: 13, [x, try RNFixture.i64([2])])[0]
        #expect(none.shape == [2, 0, 1] && none.count == 0)
        // Integers: the empty max is the type's minimum; bool (opset 20) false.
        let xi = try Tensor(allocating: .int32, shape: [2, 0])
        let mi = try RNFixture.run("ReduceMax", opset: 18, [xi, axes], ["keepdims": .int(0)])[0]
        #expect(mi.toArray(Int32.self) == [Int32.min, Int32.min])
        let xb = try Tensor(allocating: .bool, shape: [2, 0, 4])
        let mb = try RNFixture.run("ReduceMax", opset: 20, [xb, axes])[0]
        #expect(mb.dataType == .bool && mb.toArray(UInt8.self) == Array(repeating: 0, count: 8))
    }

    @Test func integerTypes() throws {
        // numpy: sum [-2, 5]; mean truncated toward zero [0, 1] (axis 1) and [2, 2, -2] (axis 0); max [5, 8].
        let x = try Tensor(.int32, shape: [2, 3], values: [Int32(-3), -4, 5, 7, 8, -10])
        let attrs: [String: AttributeValue] = ["axes": .ints([1]), "keepdims": .int(0)]
        #expect(try RNFixture.run("ReduceSum", opset: 11, [x], attrs)[0].toArray(Int32.self) == [-2, 5])
        #expect(try RNFixture.run("ReduceMean", opset: 13, [x], attrs)[0].toArray(Int32.self) == [0, 1])
        #expect(try RNFixture.run("ReduceMean", opset: 13, [x], ["axes": .ints([0]), "keepdims": .int(0)])[0]
            .toArray(Int32.self) == [2, 2, -2])
        #expect(try RNFixture.run("ReduceMax", opset: 13, [x], attrs)[0].toArray(Int32.self) == [5, 8])
        let u = try Tensor(.uint64, shape: [3], values: [UInt64(1), UInt64.max - 5, 3])
        #expect(try RNFixture.run("ReduceMax", opset: 18, [u])[0].toArray(UInt64.self) == [UInt64.max - 5])
        let i8 = try Tensor(.int8, shape: [2, 2], values: [Int8(-128), -7, -100, 3])
        #expect(try RNFixture.run("ReduceMax", opset: 18, [i8, try RNFixture.i64([0])])[0].toArray(Int8.self) == [-100, 3])
        // int8 came to ReduceMax at opset 12 and is never a ReduceSum type.
        #expect(throws: OpError.self) { try RNFixture.run("ReduceMax", opset: 11, [i8]) }
        #expect(throws: OpError.self) { try RNFixture.run("ReduceSum", opset: 13, [i8]) }
    }

    @Test func boolMaxFromOpset20() throws {
        let b = try Tensor(.bool, shape: [2, 2], values: [UInt8(1), 0, 0, 0])
        let y = try RNFixture.run("ReduceMax", opset: 20, [b, try RNFixture.i64([1])], ["keepdims": .int(0)])[0]
        #expect(y.dataType == .bool && y.toArray(UInt8.self) == [1, 0])
        #expect(throws: OpError.self) { try RNFixture.run("ReduceMax", opset: 18, [b, try RNFixture.i64([1])]) }
    }

    @Test func sixteenBitFloats() throws {
        // [[1, 2.5, -3], [0.25, 4, 8]]: sums [0.5, 12.25], means [1/6, 49/12], max [2.5, 8].
        let v: [Float] = [1, 2.5, -3, 0.25, 4, 8]
        let h = try Tensor(.float16, shape: [2, 3], values: v.map { Float16($0) })
        let hs = try RNFixture.run("ReduceSum", opset: 13, [h, try RNFixture.i64([-1])], ["keepdims": .int(0)])[0]
        #expect(hs.toArray(Float16.self).map(Float.init) == [0.5, 12.25])
        let hm = try RNFixture.run("ReduceMean", opset: 18, [h, try RNFixture.i64([-1])], ["keepdims": .int(0)])[0]
        RNFixture.expectClose(hm.toArray(Float16.self).map(Float.init), [1.0 / 6, 49.0 / 12], rtol: 1e-3, atol: 0)
        let b = try Tensor(.bfloat16, shape: [2, 3], values: v.map { FloatFormats.floatToBfloat16($0) })
        let bm = try RNFixture.run("ReduceMax", opset: 18, [b, try RNFixture.i64([1])], ["keepdims": .int(0)])[0]
        #expect(bm.toArray(UInt16.self).map(FloatFormats.bfloat16ToFloat) == [2.5, 8])
        let d = try Tensor(.double, shape: [2, 3], values: v.map(Double.init))
        #expect(try RNFixture.run("ReduceSum", opset: 13, [d])[0].toArray(Double.self) == [12.75])
    }

    @Test func maxPropagatesNaN() throws {
        // 20 columns: the NaN lands in the vectorized part of the C row kernel and in its tail.
        var v = [Float](repeating: 1, count: 40)
        v[3] = .nan
        v[39] = .nan
        let y = try RNFixture.run("ReduceMax", opset: 18, [try RNFixture.f32([2, 20], v), try RNFixture.i64([1])])[0]
        #expect(y.toArray(Float.self).allSatisfy { $0.isNaN })
        let c = try RNFixture.run("ReduceMax", opset: 18, [try RNFixture.f32([2, 20], v), try RNFixture.i64([0])])[0]
        let cols = c.toArray(Float.self)
        #expect(cols[3].isNaN && cols[19].isNaN && cols[0] == 1)
    }

    @Test func longRowsMatchScalarSums() throws {
        // 3 × 37 ramp (crosses the kernel's 16-lane blocks): row sums are exact in float.
        let v = (0..<111).map { Float($0) }
        let y = try RNFixture.run("ReduceSum", opset: 13, [try RNFixture.f32([3, 37], v), try RNFixture.i64([1])])[0]
        #expect(y.toArray(Float.self) == [666, 2035, 3404])
        let m = try RNFixture.run("ReduceMax", opset: 18, [try RNFixture.f32([3, 37], v), try RNFixture.i64([0])],
                                  ["keepdims": .int(0)])[0]
        #expect(m.toArray(Float.self) == (74..<111).map { Float($0) })
    }

    @Test func rankZeroInput() throws {
        let s = try RNFixture.f32([], [4.5])
        for op in ["ReduceSum", "ReduceMean", "ReduceMax"] {
            let y = try RNFixture.run(op, opset: 18, [s])[0]
            #expect(y.shape == [] && y.toArray(Float.self) == [4.5])
        }
    }

    @Test func badAxesThrow() throws {
        let x = try RNFixture.f32([2, 3, 4], r234)
        #expect(throws: OpError.self) { try RNFixture.run("ReduceSum", opset: 13, [x, try RNFixture.i64([3])]) }
        #expect(throws: OpError.self) { try RNFixture.run("ReduceSum", opset: 13, [x, try RNFixture.i64([-4])]) }
        #expect(throws: OpError.self) { try RNFixture.run("ReduceMean", opset: 18, [x, try RNFixture.i64([1, -2])]) }
        #expect(throws: OpError.self) { try RNFixture.run("ReduceMax", opset: 13, [x], ["axes": .ints([5])]) }
        let axes32 = try Tensor(.int32, shape: [1], values: [Int32(0)])
        #expect(throws: OpError.self) { try RNFixture.run("ReduceSum", opset: 13, [x, axes32]) }
    }

    @Test func inferredTypes() throws {
        let node = Node(opType: "ReduceMean", inputs: ["x"], outputs: ["y"], attributes: ["axes": .ints([1]), "keepdims": .int(0)])
        let attrs = NodeAttributes(node, opset: 13)
        let op = try ReduceMean(attrs)
        let t = try op.inferTypes([TensorType(.float, [.symbol("batch"), .value(3), .value(4)])], attrs)
        #expect(t == [TensorType(.float, [.symbol("batch"), .value(4)])])
    }
}

import ONNXGraph
import Testing
@testable import Ops

// Expected values were computed with numpy's min (the project venv) and pasted in.

@Suite("Extra ops: ReduceMin")
struct ExtraReduceMinTests {
    /// (arange(24) * 7 % 11 - 5) as float32, shape [2, 3, 4].
    static let x: [Float] = [-5, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, -5, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, -5, 2]

    static let cases: [([Int], [Int], [Float])] = [
        ([1], [2, 1, 4], [-5, -3, -2, -5, -3, -2, -5, -4]),
        ([0, 2], [1, 3, 1], [-5, -4, -5]),
        ([-1], [2, 3, 1], [-5, -3, -5, -2, -4, -5]),
        ([0, 1, 2], [1, 1, 1], [-5]),
        ([2, 0], [1, 3, 1], [-5, -4, -5]),
        ([], [1, 1, 1], [-5]),
    ]

    @Test(arguments: cases)
    func axesAsInput(axes: [Int], shape: [Int], expected: [Float]) throws {
        let x = try XT.f32([2, 3, 4], Self.x)
        let y = try XT.run("ReduceMin", [x, XT.i64([axes.count], axes.map(Int64.init))], opset: 18)
        #expect(y.shape == shape)
        #expect(y.toArray(Float.self) == expected)
        // The same reduction on float64 and int32, and as an attribute before opset 18 without keepdims.
        let d = try XT.run("ReduceMin", [XT.f64([2, 3, 4], Self.x.map(Double.init))], opset: 13,
                           axes.isEmpty ? ["keepdims": .int(0)] : ["axes": .ints(axes), "keepdims": .int(0)])
        #expect(d.shape == shape.enumerated().filter { !axes.isEmpty && !axes.map { ($0 + 3) % 3 }.contains($0.offset) }.map(\.element))
        #expect(d.toArray(Double.self) == expected.map(Double.init))
        let i = try XT.run("ReduceMin", [Tensor(.int32, shape: [2, 3, 4], values: Self.x.map { Int32($0) })], opset: 11,
                           axes.isEmpty ? [:] : ["axes": .ints(axes)])
        #expect(i.toArray(Int32.self) == expected.map { Int32($0) })
    }

    @Test func nanPropagates() throws {
        var v = Self.x
        v[1 * 12 + 2 * 4 + 1] = .nan
        let y = try XT.run("ReduceMin", [XT.f32([2, 3, 4], v)], opset: 13, ["axes": .ints([2]), "keepdims": .int(0)])
        #expect(XT.bits(y) == XT.bits([-5, -3, -5, -2, -4, .nan]))
        let z = try XT.run("ReduceMin", [XT.f32([2, 3, 4], v)], opset: 13, ["axes": .ints([0])])
        #expect(z.toArray(Float.self).filter(\.isNaN).count == 1)
    }

    @Test func integersAndBool() throws {
        // (arange(12).reshape(3,4) * 37 % 23 - 11) as int8 (int16 is not a ReduceMin type).
        let i = try Tensor(.int8, shape: [3, 4], values: [Int8(-11), 3, -6, 8, -1, -10, 4, -5, 9, 0, -9, 5])
        #expect(try XT.run("ReduceMin", [i, XT.i64([1], [0])], opset: 18).toArray(Int8.self) == [-11, -10, -9, -5])
        #expect(try XT.run("ReduceMin", [i, XT.i64([1], [1])], opset: 18, ["keepdims": .int(0)]).toArray(Int8.self) == [-11, -10, -9])
        let u = try Tensor(.uint64, shape: [2, 2], values: [UInt64.max, 7, UInt64.max - 1, 9])
        #expect(try XT.run("ReduceMin", [u], opset: 13, ["axes": .ints([0])]).toArray(UInt64.self) == [UInt64.max - 1, 7])
        let b = try Tensor(.bool, shape: [2, 3], values: [UInt8(1), 0, 1, 1, 1, 1])
        #expect(try XT.run("ReduceMin", [b, XT.i64([1], [1])], opset: 20, ["keepdims": .int(0)]).toArray(UInt8.self) == [0, 1])
        #expect(try XT.run("ReduceMin", [b, XT.i64([1], [0])], opset: 20).toArray(UInt8.self) == [1, 0, 1])
        // bfloat16 [1.5, -2, 3, 0.25] → -2; float16 [0.1, 1000, -3] → -3.
        let bf = try XT.run("ReduceMin", [XT.half(.bfloat16, [4], [16320, 49152, 16448, 16000])], opset: 13)
        #expect(bf.toArray(UInt16.self) == [49152])
        let h = try XT.run("ReduceMin", [XT.half(.float16, [3], [11878, 25552, 49664])], opset: 13, ["keepdims": .int(0)])
        #expect(h.shape == [])
        #expect(h.toArray(UInt16.self) == [49664])
    }

    @Test func emptySet() throws {
        // Reducing a zero-extent axis gives the identity of min.
        let f = try XT.run("ReduceMin", [Tensor(allocating: .float, shape: [2, 0, 4]), XT.i64([1], [1])], opset: 18)
        #expect(f.shape == [2, 1, 4])
        #expect(f.toArray(Float.self) == Array(repeating: .infinity, count: 8))
        let i = try XT.run("ReduceMin", [Tensor(allocating: .int8, shape: [0, 3])], opset: 13, ["axes": .ints([0]), "keepdims": .int(0)])
        #expect(i.toArray(Int8.self) == [127, 127, 127])
        let u = try XT.run("ReduceMin", [Tensor(allocating: .uint32, shape: [0])], opset: 13)
        #expect(u.toArray(UInt32.self) == [UInt32.max])
        let b = try XT.run("ReduceMin", [Tensor(allocating: .bool, shape: [3, 0])], opset: 20, ["keepdims": .int(0)])
        #expect(b.shape == [])
        #expect(b.toArray(UInt8.self) == [1])
        // Reducing only kept-nonempty axes of an empty tensor gives an empty output.
        let e = try XT.run("ReduceMin", [Tensor(allocating: .float, shape: [0, 3]), XT.i64([1], [1])], opset: 18)
        #expect(e.shape == [0, 1])
    }

    @Test func noopWithEmptyAxes() throws {
        let x = try XT.f32([2, 2], [3, 1, 2, 4])
        let y = try XT.run("ReduceMin", [x], opset: 18, ["noop_with_empty_axes": .int(1)])
        #expect(y.shape == [2, 2])
        #expect(y.toArray(Float.self) == [3, 1, 2, 4])
        let z = try XT.run("ReduceMin", [x, XT.i64([0], [])], opset: 18)
        #expect(z.shape == [1, 1])
        #expect(z.toArray(Float.self) == [1])
    }

    @Test func badInput() throws {
        let x = try XT.f32([2, 2], [3, 1, 2, 4])
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [x, XT.i64([1], [2])], opset: 18) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [x, XT.i64([2], [1, -1])], opset: 18) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [x, Tensor(.int32, shape: [1], values: [Int32(0)])], opset: 18) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [x], opset: 13, ["axes": .ints([-3])]) }
        // Axes input only from opset 18; bool only from 20; int8 from 12; no strings.
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [x, XT.i64([1], [0])], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [Tensor(.bool, shape: [1], values: [UInt8(1)])], opset: 18) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [Tensor(.int8, shape: [1], values: [Int8(1)])], opset: 11) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [Tensor(.int16, shape: [1], values: [Int16(1)])], opset: 20) }
        #expect(throws: OpError.self) { try XT.run("ReduceMin", [Tensor(strings: ["a"], shape: [1])], opset: 20) }
    }

    @Test func inference() throws {
        let t = TensorType(.float, [.symbol("n"), .value(3), .value(4)])
        #expect(try XT.infer("ReduceMin", [t], opset: 13, ["axes": .ints([-1])]) == [TensorType(.float, [.symbol("n"), .value(3), .value(1)])])
        #expect(try XT.infer("ReduceMin", [t], opset: 13, ["axes": .ints([1]), "keepdims": .int(0)]) == [TensorType(.float, [.symbol("n"), .value(4)])])
        #expect(try XT.infer("ReduceMin", [t, TensorType(.int64, [.value(1)])], opset: 18) == [TensorType(.float, [.unknown, .unknown, .unknown])])
    }
}

@Suite("Extra ops: ReduceMin against a naive reference")
struct ExtraReduceMinReferenceTests {
    /// Every subset of the axes of [3, 1, 4, 5, 2] (bitmask), keepdims on.
    @Test(arguments: 1..<32)
    func everyAxisSubset(mask: Int) throws {
        let shape = [3, 1, 4, 5, 2]
        let n = shape.reduce(1, *)
        let values = (0..<n).map { Float(($0 * 37 + 11) % 101) - 50 }
        let axes = (0..<5).filter { mask & (1 << $0) != 0 }
        let y = try XT.run("ReduceMin", [XT.f32(shape, values), XT.i64([axes.count], axes.map(Int64.init))], opset: 18)
        let outShape = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        #expect(y.shape == outShape)
        // Naive reference: each input element folds into the output at its coordinates with
        // reduced axes set to 0.
        var expected = Array(repeating: Float.infinity, count: outShape.reduce(1, *))
        for i in 0..<n {
            var rem = i, flat = 0, scale = 1
            for d in stride(from: 4, through: 0, by: -1) {
                let c = rem % shape[d]
                rem /= shape[d]
                flat += (axes.contains(d) ? 0 : c) * scale
                scale *= outShape[d]
            }
            expected[flat] = min(expected[flat], values[i])
        }
        #expect(y.toArray(Float.self) == expected)
        let u = try XT.run("ReduceMin", [Tensor(.uint8, shape: shape, values: values.map { UInt8($0 + 50) })], opset: 13,
                           ["axes": .ints(axes)])
        #expect(u.toArray(UInt8.self) == expected.map { UInt8($0 + 50) })
    }
}

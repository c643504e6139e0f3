import ONNXGraph
import Testing
@testable import Ops

// Expected values were computed with numpy's maximum / minimum / + (the project venv) and pasted in.

@Suite("Extra ops: Max, Min, Sum")
struct ExtraVariadicTests {
    /// a [2,1,3] = arange(6)·0.5 - 1, b [4,1], c [3]: broadcast to [2,4,3].
    static func abc() throws -> [Tensor] {
        [try XT.f32([2, 1, 3], [-1, -0.5, 0, 0.5, 1, 1.5]), try XT.f32([4, 1], [0.25, -0.75, 1, 0]),
         try XT.f32([3], [0.5, -2, 0.125])]
    }

    @Test func threeInputsBroadcast() throws {
        let inputs = try Self.abc()
        let mx = try XT.run("Max", inputs, opset: 13)
        #expect(mx.shape == [2, 4, 3])
        #expect(mx.toArray(Float.self) == [0.5, 0.25, 0.25, 0.5, -0.5, 0.125, 1.0, 1.0, 1.0, 0.5, 0.0, 0.125, 0.5, 1.0,
                                           1.5, 0.5, 1.0, 1.5, 1.0, 1.0, 1.5, 0.5, 1.0, 1.5])
        let mn = try XT.run("Min", inputs, opset: 8)
        #expect(mn.toArray(Float.self) == [-1.0, -2.0, 0.0, -1.0, -2.0, -0.75, -1.0, -2.0, 0.0, -1.0, -2.0, 0.0, 0.25,
                                           -2.0, 0.125, -0.75, -2.0, -0.75, 0.5, -2.0, 0.125, 0.0, -2.0, 0.0])
        let sum = try XT.run("Sum", inputs, opset: 13)
        #expect(sum.toArray(Float.self) == [-0.25, -2.25, 0.375, -1.25, -3.25, -0.625, 0.5, -1.5, 1.125, -0.5, -2.5,
                                            0.125, 1.25, -0.75, 1.875, 0.25, -1.75, 0.875, 2.0, 0.0, 2.625, 1.0, -1.0, 1.625])
        // Order of inputs does not matter for the result's shape.
        #expect(try XT.run("Sum", inputs.reversed(), opset: 13).toArray(Float.self) == sum.toArray(Float.self))
    }

    @Test func nanPropagates() throws {
        let a = try XT.f32([3], [1, .nan, 3]), b = try XT.f32([3], [.nan, 2, 1])
        #expect(XT.bits(try XT.run("Max", [a, b], opset: 13)) == XT.bits([.nan, .nan, 3]))
        #expect(XT.bits(try XT.run("Min", [a, b], opset: 13)) == XT.bits([.nan, .nan, 1]))
        #expect(XT.bits(try XT.run("Sum", [a, b], opset: 13)) == XT.bits([.nan, .nan, 4]))
    }

    @Test func integers() throws {
        let u = try Tensor(.uint64, shape: [3], values: [UInt64.max, 5, 1 << 63])
        let v = try Tensor(.uint64, shape: [3], values: [UInt64(3), (1 << 63) + 1, (1 << 63) - 1])
        #expect(try XT.run("Max", [u, v], opset: 12).toArray(UInt64.self) == [UInt64.max, 9223372036854775809, 9223372036854775808])
        #expect(try XT.run("Min", [u, v], opset: 12).toArray(UInt64.self) == [3, 5, 9223372036854775807])
        let i = try Tensor(.int8, shape: [3], values: [Int8.min, 127, 0]), j = try Tensor(.int8, shape: [2, 1], values: [Int8(-1), 100])
        #expect(try XT.run("Max", [i, j], opset: 13).toArray(Int8.self) == [-1, 127, 0, 100, 127, 100])
        #expect(try XT.run("Min", [i, j], opset: 13).toArray(Int8.self) == [-128, -1, -1, -128, 100, 0])
    }

    @Test func halfTypes() throws {
        // float16 [0.1, 1000, -3] + [0.2, 0.3, 65504] + [0.3, 0.3, 65504], rounded after each add.
        let s = try XT.run("Sum", [XT.half(.float16, [3], [11878, 25552, 49664]), XT.half(.float16, [3], [12902, 13517, 31743]),
                                   XT.half(.float16, [3], [13517, 13517, 31743])], opset: 8)
        #expect(s.toArray(UInt16.self) == [14540, 25554, 31744])
        // bfloat16 max of [1.5, -2] and [-1, 2].
        let m = try XT.run("Max", [XT.half(.bfloat16, [2], [16320, 49152]), XT.half(.bfloat16, [2], [49024, 16384])], opset: 13)
        #expect(m.toArray(UInt16.self) == [16320, 16384])
        let d = try XT.run("Min", [XT.f64([2], [1e300, -0.5]), XT.f64([1], [2])], opset: 13)
        #expect(d.toArray(Double.self) == [2, -0.5])
    }

    @Test func oneInputAndEmptyOutputs() throws {
        let x = try XT.f32([2], [3, -4])
        for op in ["Max", "Min", "Sum"] {
            #expect(try XT.run(op, [x], opset: 13).toArray(Float.self) == [3, -4])
            let e = try XT.run(op, [XT.f32([0, 3], []), XT.f32([1, 3], [1, 2, 3])], opset: 13)
            #expect(e.shape == [0, 3])
        }
    }

    @Test func badInput() throws {
        let a = try XT.f32([2], [1, 2]), b = try XT.f32([3], [1, 2, 3])
        for op in ["Max", "Min", "Sum"] {
            // Shapes that do not broadcast; differing types.
            #expect(throws: OpError.self) { try XT.run(op, [a, b], opset: 13) }
            #expect(throws: OpError.self) { try XT.run(op, [a, XT.f64([2], [1, 2])], opset: 13) }
            // Before opset 8 every input has the same shape.
            #expect(throws: OpError.self) { try XT.run(op, [a, XT.f32([1], [1])], opset: 6) }
            #expect(throws: OpError.self) { try XT.run(op, [], opset: 13) }
            #expect(throws: OpError.self) { try XT.run(op, [a, nil], opset: 13) }
        }
        // Integers: Max/Min from opset 12, Sum never.
        let i = try Tensor(.int32, shape: [1], values: [Int32(1)])
        #expect(throws: OpError.self) { try XT.run("Max", [i, i], opset: 8) }
        #expect(throws: OpError.self) { try XT.run("Sum", [i, i], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("Min", [Tensor(.bool, shape: [1], values: [UInt8(1)])], opset: 13) }
    }

    @Test func inference() throws {
        let a = TensorType(.float, [.symbol("n"), .value(1)]), b = TensorType(.float, [.value(4)]), c = TensorType(.float, [.value(1)])
        for op in ["Max", "Min", "Sum"] {
            #expect(try XT.infer(op, [a, b, c], opset: 13) == [TensorType(.float, [.symbol("n"), .value(4)])])
        }
        #expect(throws: OpError.self) { try XT.infer("Sum", [b, TensorType(.float, [.value(3)])], opset: 13) }
    }
}

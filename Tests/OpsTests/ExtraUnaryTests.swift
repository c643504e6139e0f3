import ONNXGraph
import Testing
@testable import Ops

// Expected values were computed with numpy / ml_dtypes (the project venv) and pasted in.

@Suite("Extra ops: unary math")
struct ExtraUnaryTests {
    @Test func exp() throws {
        let x = try XT.f32([2, 3], [-1, 0, 0.5, 3.25, 88.5, -104])
        let y = try XT.run("Exp", [x], opset: 13)
        #expect(y.shape == [2, 3])
        #expect(XT.close(y.toArray(Float.self), [0.3678794205188751, 1.0, 1.6487212181091309, 25.790340423583984,
                                                 2.723087715188732e+38, 0.0]))
        // float16: exp([0.1, 1, -2, 5.5]) rounded to half.
        let h = try XT.run("Exp", [XT.half(.float16, [4], [11878, 15360, 49152, 17792])], opset: 13)
        #expect(h.toArray(UInt16.self) == [15468, 16752, 12373, 23462])
        // bfloat16: exp([1.5, -2, 3, 0.25]).
        let b = try XT.run("Exp", [XT.half(.bfloat16, [4], [16320, 49152, 16448, 16000])], opset: 13)
        #expect(b.toArray(UInt16.self) == [16527, 15883, 16801, 16292])
        let special = try XT.run("Exp", [XT.f32([3], [.nan, .infinity, -.infinity])], opset: 6)
        #expect(XT.bits(special) == XT.bits([.nan, .infinity, 0]))
    }

    @Test func log() throws {
        let y = try XT.run("Log", [XT.f32([5], [0.5, 1, 2.718281828, 10, 1e-3])], opset: 13)
        #expect(XT.close(y.toArray(Float.self), [-0.6931471824645996, 0.0, 1.0, 2.3025851249694824, -6.907755374908447]))
        let d = try XT.run("Log", [XT.f64([3], [0.5, 3, 1e-300])], opset: 6)
        #expect(d.toArray(Double.self) == [-0.6931471805599453, 1.0986122886681098, -690.7755278982137])
        let special = try XT.run("Log", [XT.f32([3], [0, -1, .infinity])], opset: 13)
        #expect(XT.bits(special) == XT.bits([-.infinity, .nan, .infinity]))
    }

    @Test func neg() throws {
        let y = try XT.run("Neg", [XT.f32([4], [1.5, -0.0, 0, .nan])], opset: 13)
        #expect(XT.bits(y) == XT.bits([-1.5, 0, -0.0, .nan]))
        // Two's complement: -(-128) wraps to -128.
        let i = try XT.run("Neg", [Tensor(.int8, shape: [3], values: [Int8.min, 5, -7])], opset: 6)
        #expect(i.toArray(Int8.self) == [Int8.min, -5, 7])
        let l = try XT.run("Neg", [XT.i64([2], [Int64.max, Int64.min])], opset: 13)
        #expect(l.toArray(Int64.self) == [-Int64.max, Int64.min])
        let h = try XT.run("Neg", [XT.half(.float16, [2], [15360, 0])], opset: 13)
        #expect(h.toArray(UInt16.self) == [48128, 32768])
    }

    @Test func ceilAndRound() throws {
        let x = try XT.f32([8], [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, -3.7])
        #expect(XT.bits(try XT.run("Ceil", [x], opset: 13)) == XT.bits([-2.0, -1.0, -0.0, 1.0, 2.0, 3.0, 1.0, -3.0]))
        // Halves to even.
        #expect(XT.bits(try XT.run("Round", [x], opset: 11)) == XT.bits([-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 0.0, -4.0]))
        let d = try XT.run("Round", [XT.f64([4], [0.5, 1.5, -2.5, 2.5000001])], opset: 22)
        #expect(d.toArray(Double.self) == [0, 2, -2, 3])
        // float16 [0.5, 1.5, 2.5, -0.5, 1000.5].
        let h = try XT.run("Round", [XT.half(.float16, [5], [14336, 15872, 16640, 47104, 25553])], opset: 11)
        #expect(h.toArray(UInt16.self) == [0, 16384, 16384, 32768, 25552])
        let special = try XT.run("Ceil", [XT.f32([3], [.nan, -.infinity, 1e30])], opset: 6)
        #expect(XT.bits(special) == XT.bits([.nan, -.infinity, 1e30]))
    }

    @Test func badInput() throws {
        let ints = try Tensor(.int32, shape: [2], values: [Int32(1), 2])
        for op in ["Exp", "Log", "Ceil", "Round"] {
            #expect(throws: OpError.self) { try XT.run(op, [ints], opset: 13) }
        }
        // Neg takes signed integers from opset 6 only, never unsigned ones.
        #expect(throws: OpError.self) { try XT.run("Neg", [ints], opset: 1) }
        #expect(throws: OpError.self) { try XT.run("Neg", [Tensor(.uint8, shape: [1], values: [UInt8(1)])], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("Exp", [Tensor(strings: ["a"], shape: [1])], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("Exp", [nil], opset: 13) }
        let f = try XT.f32([1], [1])
        #expect(throws: OpError.self) { try XT.run("Log", [f, f], opset: 13) }
        // Round exists from opset 11.
        #expect(throws: OpError.self) { try XT.run("Round", [f], opset: 10) }
    }

    @Test func inference() throws {
        let t = TensorType(.float, [.symbol("n"), .value(3)])
        for op in ["Exp", "Log", "Neg", "Ceil", "Round", "Clip"] {
            #expect(try XT.infer(op, [t], opset: 13) == [t])
        }
    }
}

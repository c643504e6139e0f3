import ONNXGraph
import Testing
@testable import Ops

// Exp, Log, Neg, Abs, Ceil, Floor, Sum, Mean, Max, Min, LessOrEqual, GreaterOrEqual, And, Or, Xor.
// Expected values: numpy (project venv), pasted, unless stated.

@Suite("Elementwise: more unary ops")
struct ElementwiseMoreUnaryTests {
    @Test func exp() throws {
        let x = try EW.f32([11], [-110, -100, -20, -1, -0.5, 0, 0.5, 1, 20, 88, 89])
        let y = try EW.evalOp("Exp", [x]).toArray(Float.self)
        // -100 gives a subnormal (3.78e-44), compared absolutely; the rest relatively.
        #expect(y[0] == 0 && y[10] == .infinity)
        #expect(abs(Double(y[1]) - 3.783505853677006e-44) < 1e-44)
        #expect(EW.approximatelyEqual(Array(y[2..<10]), [2.06115369216775e-09, 0.3678794503211975, 0.6065306663513184, 1.0,
                                                       1.6487212181091309, 2.7182817459106445, 485165184.0,
                                                       1.6516362661361307e+38], relative: 1e-6))
        #expect(try EW.evalOp("Exp", [EW.f32([2], [-.infinity, .nan])]).toArray(Float.self)[0] == 0)
    }

    @Test func log() throws {
        let y = try EW.evalOp("Log", [EW.f32([6], [0.5, 1, 2, 10, 1e-30, 0])]).toArray(Float.self)
        #expect(EW.approximatelyEqual(y, [-0.6931471824645996, 0.0, 0.6931471824645996, 2.3025851249694824,
                                          -69.07755279541016, -.infinity], relative: 1e-6))
    }

    @Test func roundingAndSign() throws {
        let x = try EW.f32([5], [-1.5, -0.5, 0.2, 1, 2.7])
        let ceil = try EW.evalOp("Ceil", [x]).toArray(Float.self)
        #expect(ceil == [-1, 0, 1, 1, 3])
        #expect(ceil[1].sign == .minus)
        #expect(try EW.evalOp("Floor", [x]).toArray(Float.self) == [-2, -1, 0, 1, 2])
        #expect(try EW.evalOp("Neg", [x]).toArray(Float.self) == [1.5, 0.5, -0.2, -1, -2.7])
        #expect(try EW.evalOp("Abs", [x]).toArray(Float.self) == [1.5, 0.5, 0.2, 1, 2.7])
        // Integers wrap at the minimum (hand-derived); unsigned Abs is the identity.
        let i = try Tensor(.int8, shape: [3], values: [Int8.min, -3, 4])
        #expect(try EW.evalOp("Neg", [i]).toArray(Int8.self) == [Int8.min, 3, -4])
        #expect(try EW.evalOp("Abs", [i]).toArray(Int8.self) == [Int8.min, 3, 4])
        let u = try Tensor(.uint32, shape: [2], values: [UInt32.max, 0])
        #expect(try EW.evalOp("Abs", [u]).toArray(UInt32.self) == [UInt32.max, 0])
        #expect(throws: OpError.self) { try EW.evalOp("Neg", [u]) }
        let h = try Tensor(.bfloat16, shape: [2], values: [FloatFormats.floatToBfloat16(-2.5), FloatFormats.floatToBfloat16(0.75)])
        #expect(try EW.evalOp("Floor", [h]).toArray(UInt16.self).map(FloatFormats.bfloat16ToFloat) == [-3, 0])
    }
}

@Suite("Elementwise: variadic ops")
struct ElementwiseVariadicTests {
    let a: Tensor, b: Tensor, c: Tensor

    init() throws {
        a = try EW.f32([2, 2], [1, 5, 3, 2])
        b = try EW.f32([2], [4, 0])
        c = try EW.f32([], [2.5])
    }

    @Test func foldWithBroadcasting() throws {
        #expect(try EW.evalOp("Sum", [a, b, c]).toArray(Float.self) == [7.5, 7.5, 9.5, 4.5])
        #expect(try EW.evalOp("Mean", [a, b, c]).toArray(Float.self) == [2.5, 2.5, 3.1666667461395264, 1.5])
        #expect(try EW.evalOp("Max", [a, b, c]).toArray(Float.self) == [4, 5, 4, 2.5])
        #expect(try EW.evalOp("Min", [a, b, c]).toArray(Float.self) == [1, 0, 2.5, 0])
        let one = try EW.evalOp("Max", [a])
        #expect(one.shape == [2, 2] && one.toArray(Float.self) == [1, 5, 3, 2])
    }

    @Test func float16MeanRoundsEachStep() throws {
        // numpy: r = h; r += g; r += k; (r / 3) in float16.
        let h = try Tensor(.float16, shape: [2], values: [UInt16(15462), 16486])
        let g = try Tensor(.float16, shape: [2], values: [UInt16(17050), 17510])
        let k = try Tensor(.float16, shape: [2], values: [UInt16(14746), 11878])
        #expect(try EW.evalOp("Mean", [h, g, k]).toArray(UInt16.self) == [16076, 16503])
    }

    @Test func maxMinIntegersAndNaN() throws {
        let x = try Tensor(.uint64, shape: [3], values: [UInt64.max, 1, 7])
        let y = try Tensor(.uint64, shape: [3], values: [UInt64(0), 2, 7])
        #expect(try EW.evalOp("Max", [x, y]).toArray(UInt64.self) == [UInt64.max, 2, 7])
        #expect(try EW.evalOp("Min", [x, y]).toArray(UInt64.self) == [0, 1, 7])
        let n = try EW.evalOp("Max", [EW.f32([2], [.nan, 1]), EW.f32([2], [0, .nan])]).toArray(Float.self)
        #expect(n[0].isNaN && n[1].isNaN)
        #expect(throws: OpError.self) { try EW.evalOp("Sum", [x, y]) }
        #expect(throws: OpError.self) { try EW.evalOp("Sum", [a, EW.f32([3], [1, 2, 3])]) }
    }
}

@Suite("Elementwise: ordered comparisons and logic")
struct ElementwiseLogicMoreTests {
    @Test func orEqualComparisons() throws {
        let x = try Tensor(.int16, shape: [2, 1], values: [Int16(1), 3])
        let y = try Tensor(.int16, shape: [3], values: [Int16(0), 1, 3])
        #expect(try EW.evalOp("LessOrEqual", [x, y]).toArray(UInt8.self) == [0, 1, 1, 0, 0, 1])
        #expect(try EW.evalOp("GreaterOrEqual", [x, y]).toArray(UInt8.self) == [1, 1, 0, 1, 1, 1])
        #expect(throws: OpError.self) { try EW.evalOp("LessOrEqual", [x, y], opset: 11) }
    }

    @Test func andOrXor() throws {
        let p = try EW.bools([2, 2], [true, true, false, false]), q = try EW.bools([2], [true, false])
        #expect(try EW.evalOp("And", [p, q]).toArray(UInt8.self) == [1, 0, 0, 0])
        #expect(try EW.evalOp("Or", [p, q]).toArray(UInt8.self) == [1, 1, 1, 0])
        #expect(try EW.evalOp("Xor", [p, q]).toArray(UInt8.self) == [0, 1, 1, 0])
        #expect(throws: OpError.self) { try EW.evalOp("And", [EW.f32([1], [1]), q]) }
    }
}

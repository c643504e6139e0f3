import ONNXGraph
import Testing
@testable import Ops

// Expected values were computed with numpy (the project venv) and pasted in, unless stated.

@Suite("Elementwise: broadcasting")
struct ElementwiseBroadcastTests {
    @Test func addBroadcastsThreeDims() throws {
        // a = arange(6).reshape(2,3,1) * 0.5 - 1; b = arange(4).reshape(1,4) * 1.5 + 0.25
        let a = try EW.f32([2, 3, 1], [-1, -0.5, 0, 0.5, 1, 1.5])
        let b = try EW.f32([1, 4], [0.25, 1.75, 3.25, 4.75])
        let sum = try EW.evalOp("Add", [a, b])
        #expect(sum.shape == [2, 3, 4])
        #expect(sum.toArray(Float.self) == [-0.75, 0.75, 2.25, 3.75, -0.25, 1.25, 2.75, 4.25, 0.25, 1.75, 3.25, 4.75,
                                            0.75, 2.25, 3.75, 5.25, 1.25, 2.75, 4.25, 5.75, 1.75, 3.25, 4.75, 6.25])
        let diff = try EW.evalOp("Sub", [a, b])
        #expect(diff.toArray(Float.self) == [-1.25, -2.75, -4.25, -5.75, -0.75, -2.25, -3.75, -5.25, -0.25, -1.75,
                                             -3.25, -4.75, 0.25, -1.25, -2.75, -4.25, 0.75, -0.75, -2.25, -3.75,
                                             1.25, -0.25, -1.75, -3.25])
        // b / (a + 3)
        let a3 = try EW.evalOp("Add", [a, EW.f32([], [3])])
        let quotient = try EW.evalOp("Div", [b, a3])
        #expect(quotient.shape == [2, 3, 4])
        #expect(quotient.toArray(Float.self) == [
            0.125, 0.875, 1.625, 2.375, 0.10000000149011612, 0.699999988079071, 1.2999999523162842, 1.899999976158142,
            0.0833333358168602, 0.5833333134651184, 1.0833333730697632, 1.5833333730697632, 0.0714285746216774, 0.5,
            0.9285714030265808, 1.3571428060531616, 0.0625, 0.4375, 0.8125, 1.1875, 0.0555555559694767,
            0.3888888955116272, 0.7222222089767456, 1.0555555820465088,
        ])
    }

    @Test func scalarOnEitherSide() throws {
        let x = try EW.f32([3], [1.5, -2.25, 3.0])
        let two = try EW.f32([], [2])
        #expect(try EW.evalOp("Sub", [two, x]).toArray(Float.self) == [0.5, 4.25, -1.0])
        #expect(try EW.evalOp("Div", [two, x]).toArray(Float.self) == [1.3333333730697632, -0.8888888955116272, 0.6666666865348816])
        #expect(try EW.evalOp("Div", [x, two]).toArray(Float.self) == [0.75, -1.125, 1.5])
        #expect(try EW.evalOp("Mul", [x, two]).toArray(Float.self) == [3, -4.5, 6])
    }

    @Test func rankZero() throws {
        let y = try EW.evalOp("Mul", [EW.f32([], [3]), EW.f32([], [-2.5])])
        #expect(y.shape == [])
        #expect(y.toArray(Float.self) == [-7.5])
        let z = try EW.evalOp("Add", [EW.f32([], [1]), EW.f32([1, 1], [2])])
        #expect(z.shape == [1, 1])
        #expect(z.toArray(Float.self) == [3])
    }

    @Test(arguments: [([0, 3], [1, 3], [0, 3]), ([2, 0], [1], [2, 0]), ([0], [], [0]), ([3, 1, 0], [4, 1], [3, 4, 0])])
    func sizeZeroDims(a: [Int], b: [Int], out: [Int]) throws {
        let ta = try Tensor(allocating: .float, shape: a), tb = try Tensor(allocating: .float, shape: b, zeroed: true)
        let y = try EW.evalOp("Add", [ta, tb])
        #expect(y.shape == out)
        #expect(y.count == 0)
        let w = try EW.evalOp("Where", [Tensor(allocating: .bool, shape: a), ta, tb])
        #expect(w.shape == out)
    }

    /// Shape pairs that exercise dim merging, stride-0 runs on either side and rank differences,
    /// checked against a naive per-element index computation.
    static let shapePairs: [([Int], [Int])] = [
        ([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([2, 1, 4], [1, 3, 1]), ([5, 1], [1, 7]),
        ([1], [2, 3]), ([2, 1, 3, 1], [1, 4, 1, 5]), ([3, 4, 5], [1, 1, 5]), ([6, 1, 1], [6, 2, 3]), ([1, 1, 1], [1]),
    ]

    @Test(arguments: shapePairs)
    func matchesNaiveBroadcast(a: [Int], b: [Int]) throws {
        let out = try Broadcast.shape([a, b])
        let na = a.reduce(1, *), nb = b.reduce(1, *), n = out.reduce(1, *)
        let av = (0..<na).map { Float($0) * 0.75 - 3 }, bv = (0..<nb).map { Float($0 % 7) * 1.25 + 0.5 }
        let ta = try EW.f32(a, av), tb = try EW.f32(b, bv)
        let ia = (0..<na).map { Int32($0 * 3 - 11) }, ib = (0..<nb).map { Int32($0 % 5 + 1) }
        let tia = try Tensor(.int32, shape: a, values: ia), tib = try Tensor(.int32, shape: b, values: ib)
        let sub = try EW.evalOp("Sub", [ta, tb]).toArray(Float.self)
        let div = try EW.evalOp("Div", [tia, tib]).toArray(Int32.self)
        let less = try EW.evalOp("Less", [tia, tib]).toArray(UInt8.self)
        let cond = (0..<na).map { UInt8($0 % 3 == 0 ? 1 : 0) }
        let picked = try EW.evalOp("Where", [Tensor(.bool, shape: a, values: cond), ta, tb]).toArray(Float.self)
        for i in 0..<n {
            let ja = EW.broadcastSourceIndex(i, outShape: out, shape: a)
            let jb = EW.broadcastSourceIndex(i, outShape: out, shape: b)
            #expect(sub[i] == av[ja] - bv[jb])
            #expect(div[i] == ia[ja] / ib[jb])
            #expect(less[i] == (ia[ja] < ib[jb] ? 1 : 0))
            #expect(picked[i] == (cond[ja] != 0 ? av[ja] : bv[jb]))
        }
    }

    @Test func incompatibleShapesThrow() throws {
        let a = try EW.f32([2, 3], [1, 2, 3, 4, 5, 6]), b = try EW.f32([2], [1, 2])
        for op in ["Add", "Sub", "Mul", "Div", "Pow", "Less", "Greater", "Equal"] {
            #expect(throws: OpError.self) { try EW.evalOp(op, [a, b]) }
        }
        #expect(throws: OpError.self) { try EW.evalOp("Where", [EW.bools([2], [true, false]), a, a]) }
    }

    @Test func mismatchedOrUnsupportedTypesThrow() throws {
        let f = try EW.f32([2], [1, 2]), i = try Tensor(.int32, shape: [2], values: [Int32(1), 2])
        #expect(throws: OpError.self) { try EW.evalOp("Add", [f, i]) }
        let s = try Tensor(strings: ["a", "b"], shape: [2])
        #expect(throws: OpError.self) { try EW.evalOp("Add", [s, s]) }
        #expect(throws: OpError.self) { try EW.evalOp("Less", [s, s]) }
        #expect(throws: OpError.self) { try EW.evalOp("Equal", [s, s], opset: 18) }
        #expect(throws: OpError.self) { try EW.evalOp("Sqrt", [i]) }
        #expect(throws: OpError.self) { try EW.evalOp("Not", [f]) }
        #expect(throws: OpError.self) { try EW.evalOp("Where", [f, f, f]) }
        #expect(throws: OpError.self) { try EW.evalOp("Gelu", [f], attributes: ["approximate": .string("fast")]) }
        #expect(throws: OpError.self) { try EW.evalOp("Gelu", [f], opset: 19) }
    }

    @Test func legacyBroadcastWithAxis() throws {
        // opset 6: B of shape [3] matched at axis 1 of A [2, 3, 2].
        let a = try EW.f32([2, 3, 2], (0..<12).map(Float.init)), b = try EW.f32([3], [100, 200, 300])
        let y = try EW.evalOp("Add", [a, b], opset: 6, attributes: ["broadcast": .int(1), "axis": .int(1)])
        #expect(y.shape == [2, 3, 2])
        #expect(y.toArray(Float.self) == [100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311])
        // Default: suffix matching.
        let c = try EW.f32([2], [10, 20])
        #expect(try EW.evalOp("Sub", [a, c], opset: 1, attributes: ["broadcast": .int(1)]).toArray(Float.self)
                == [-10, -19, -8, -17, -6, -15, -4, -13, -2, -11, 0, -9])
        // broadcast = 0 requires equal shapes.
        #expect(throws: OpError.self) { try EW.evalOp("Mul", [a, c], opset: 6) }
        #expect(throws: OpError.self) {
            try EW.evalOp("Add", [a, b], opset: 6, attributes: ["broadcast": .int(1), "axis": .int(2)])
        }
    }
}

@Suite("Elementwise: integer and 16-bit float types")
struct ElementwiseTypeTests {
    @Test func integerWrapAround() throws {
        let a8 = try Tensor(.int8, shape: [3], values: [Int8(127), -128, 5])
        let b8 = try Tensor(.int8, shape: [3], values: [Int8(1), -1, -7])
        #expect(try EW.evalOp("Add", [a8, b8]).toArray(Int8.self) == [-128, 127, -2])
        let u = try Tensor(.uint8, shape: [3], values: [UInt8(0), 5, 255]), v = try Tensor(.uint8, shape: [3], values: [UInt8(1), 10, 255])
        #expect(try EW.evalOp("Sub", [u, v]).toArray(UInt8.self) == [255, 251, 0])
        let p = try Tensor(.int64, shape: [2], values: [Int64(3_000_000_000), -7]), q = try Tensor(.int64, shape: [2], values: [Int64(4), -6])
        #expect(try EW.evalOp("Mul", [p, q]).toArray(Int64.self) == [12_000_000_000, 42])
    }

    @Test func integerDivisionTruncates() throws {
        let a = try Tensor(.int32, shape: [5], values: [Int32(-7), 7, -7, 7, 0])
        let b = try Tensor(.int32, shape: [5], values: [Int32(2), 2, -2, -2, 5])
        #expect(try EW.evalOp("Div", [a, b]).toArray(Int32.self) == [-3, 3, 3, -3, 0])
        // Zero divisor gives 0 and Int.min / -1 wraps (both undefined in ONNX; must not trap).
        let c = try Tensor(.int64, shape: [2], values: [Int64.min, 9]), d = try Tensor(.int64, shape: [2], values: [Int64(-1), 0])
        #expect(try EW.evalOp("Div", [c, d]).toArray(Int64.self) == [Int64.min, 0])
        let e = try Tensor(.uint16, shape: [3], values: [UInt16(65535), 7, 1]), f = try Tensor(.uint16, shape: [], values: [UInt16(2)])
        #expect(try EW.evalOp("Div", [e, f]).toArray(UInt16.self) == [32767, 3, 0])
    }

    @Test func float16AndBfloat16() throws {
        // float16 [0.1, 1.5, -2, 65504] + [0.2, 0.25, 3, 65504] (bits).
        let h = try Tensor(.float16, shape: [4], values: [UInt16(11878), 15872, 49152, 31743])
        let g = try Tensor(.float16, shape: [4], values: [UInt16(12902), 13312, 16896, 31743])
        #expect(try EW.evalOp("Add", [h, g]).toArray(UInt16.self) == [13516, 16128, 15360, 31744])
        // bfloat16 [-2, -0.5, 0.3, 1, 3] * 3 and sqrt(|x|).
        let bf = try Tensor(.bfloat16, shape: [5], values: [UInt16(49152), 48896, 16026, 16256, 16448])
        let three = try Tensor(.bfloat16, shape: [1], values: [FloatFormats.floatToBfloat16(3)])
        #expect(try EW.evalOp("Mul", [bf, three]).toArray(UInt16.self) == [49344, 49088, 16231, 16448, 16656])
        let absBf = try Tensor(.bfloat16, shape: [5], values: [UInt16(16384), 16128, 16026, 16256, 16448])
        #expect(try EW.evalOp("Sqrt", [absBf]).toArray(UInt16.self) == [16309, 16181, 16140, 16256, 16350])
        // float16 [-2, -0.5, 0, 0.5, 1, 3]: tanh and sigmoid.
        let x = try Tensor(.float16, shape: [6], values: [UInt16(49152), 47104, 0, 14336, 15360, 16896])
        #expect(try EW.evalOp("Tanh", [x]).toArray(UInt16.self) == [48054, 46949, 0, 14181, 14872, 15350])
        #expect(try EW.evalOp("Sigmoid", [x]).toArray(UInt16.self) == [12193, 13834, 14336, 14587, 14809, 15263])
        #expect(try EW.evalOp("Less", [x, Tensor(.float16, shape: [], values: [UInt16(0)])]).toArray(UInt8.self)
                == [1, 1, 0, 0, 0, 0])
    }

    @Test func doubleArithmetic() throws {
        let a = try Tensor(.double, shape: [2], values: [1e300, 0.1]), b = try Tensor(.double, shape: [2], values: [1e10, 0.3])
        let y = try EW.evalOp("Mul", [a, b]).toArray(Double.self)
        #expect(y[0] == .infinity)
        #expect(y[1] == 0.03)
    }

    @Test func powMixedTypes() throws {
        let fb = try EW.f32([3], [1.5, 2, -3])
        let ie = try Tensor(.int64, shape: [3], values: [Int64(3), -2, 5])
        #expect(try EW.evalOp("Pow", [fb, ie], opset: 15).toArray(Float.self) == [3.375, 0.25, -243])
        let ib = try Tensor(.int64, shape: [3], values: [Int64(2), 9, 5])
        let fe = try EW.f32([3], [0.5, 0.5, -1])
        // numpy: power(int64, float32) computed in float64, cast back (truncation): [1, 3, 0].
        #expect(try EW.evalOp("Pow", [ib, fe], opset: 15).toArray(Int64.self) == [1, 3, 0])
        let i32 = try Tensor(.int32, shape: [4], values: [Int32(3), 2, -2, 7])
        let e32 = try Tensor(.int32, shape: [4], values: [Int32(4), 31, 5, 0])
        #expect(try EW.evalOp("Pow", [i32, e32], opset: 15).toArray(Int32.self) == [81, Int32.min, -32, 1])
        // Negative integer exponents (hand-derived: truncation of the real result).
        let bases = try Tensor(.int32, shape: [4], values: [Int32(1), -1, -1, 2])
        let negs = try Tensor(.int32, shape: [4], values: [Int32(-3), -3, -2, -1])
        #expect(try EW.evalOp("Pow", [bases, negs], opset: 15).toArray(Int32.self) == [1, -1, 1, 0])
        // Exponent 2 (any type, one element, possibly of higher rank) is x * x.
        let sq = try EW.evalOp("Pow", [EW.f32([3], [1.5, -3, 1e30]), Tensor(.int64, shape: [1, 1], values: [Int64(2)])], opset: 15)
        #expect(sq.shape == [1, 3])
        #expect(sq.toArray(Float.self) == [2.25, 9, .infinity])
        let grid = try EW.f32([2, 3], [1, 2, 3, 4, 5, 6])
        #expect(try EW.evalOp("Pow", [grid, EW.f32([3], [0.5, 2, -1])]).toArray(Float.self)
                == [1, 4, 0.3333333432674408, 2, 25, 0.1666666716337204])
        let hb = try Tensor(.float16, shape: [2], values: [FloatFormats.floatToFloat16(1.5), FloatFormats.floatToFloat16(-2)])
        let ue = try Tensor(.uint8, shape: [2], values: [UInt8(2), 3])
        #expect(try EW.evalOp("Pow", [hb, ue], opset: 15).toArray(UInt16.self).map(FloatFormats.float16ToFloat) == [2.25, -8])
    }
}

@Suite("Elementwise: unary math")
struct ElementwiseUnaryTests {
    static let xs: [Float] = [-6, -3, -1, -0.5, -0.0010000000474974513, 0, 0.30000001192092896, 0.5, 1, 2, 4]

    /// (op, attributes, expected over `xs`, relative tolerance). Values: numpy in float64 from the
    /// float32 inputs, rounded to float32.
    static let cases: [(String, String?, [Float], Float)] = [
        ("Erf", nil, [-1.0, -0.9999778866767883, -0.8427007794380188, -0.5204998850822449, -0.001128378789871931, 0.0,
                      0.3286267817020416, 0.5204998850822449, 0.8427007794380188, 0.9953222870826721, 1.0], 1e-6),
        ("Tanh", nil, [-0.9999877214431763, -0.9950547814369202, -0.7615941762924194, -0.46211716532707214,
                       -0.0009999996982514858, 0.0, 0.29131263494491577, 0.46211716532707214, 0.7615941762924194,
                       0.9640275835990906, 0.9993293285369873], 1e-6),
        // Sigmoid is ONNX Runtime's rational approximation (absolute error below 2e-7), so at x = -6
        // (0.0025) the relative error reaches 6.4e-6.
        ("Sigmoid", nil, [0.0024726232513785362, 0.04742587357759476, 0.2689414322376251, 0.3775406777858734,
                          0.4997499883174896, 0.5, 0.5744425058364868, 0.622459352016449, 0.7310585975646973,
                          0.8807970881462097, 0.9820137619972229], 1e-5),
        ("Gelu", "none", [-5.919525758457667e-09, -0.004049694165587425, -0.15865525603294373, -0.1542687714099884,
                          -0.0004996010684408247, 0.0, 0.1853734403848648, 0.3457312285900116, 0.8413447737693787,
                          1.9544997215270996, 3.999873399734497], 1e-6),
        // x = -6: exp(-2u) with 2u ≈ 25 amplifies float32 rounding of u by 25, so 1e-5 there.
        ("Gelu", "tanh", [-8.43964897967453e-11, -0.003637392073869705, -0.15880800783634186, -0.1542859971523285,
                          -0.0004996010684408247, 0.0, 0.18537093698978424, 0.3457140028476715, 0.8411920070648193,
                          1.9545977115631104, 3.999929666519165], 1e-5),
        ("Relu", nil, [0, 0, 0, 0, 0, 0, 0.30000001192092896, 0.5, 1, 2, 4], 0),
    ]

    @Test(arguments: cases)
    func float32MatchesNumpy(op: String, approximate: String?, expected: [Float], tolerance: Float) throws {
        let attrs: [String: AttributeValue] = approximate.map { ["approximate": .string($0)] } ?? [:]
        let y = try EW.evalOp(op, [EW.f32([11], Self.xs)], attributes: attrs).toArray(Float.self)
        #expect(EW.approximatelyEqual(y, expected, relative: tolerance), "\(op) \(approximate ?? ""): \(y)")
        if approximate == "tanh" {
            #expect(EW.approximatelyEqual(Array(y[1...]), Array(expected[1...]), relative: 1e-6))
        }
    }

    @Test(arguments: cases)
    func doubleMatchesNumpy(op: String, approximate: String?, expected: [Float], tolerance: Float) throws {
        let attrs: [String: AttributeValue] = approximate.map { ["approximate": .string($0)] } ?? [:]
        let x = try Tensor(.double, shape: [11], values: Self.xs.map(Double.init))
        let y = try EW.evalOp(op, [x], attributes: attrs).toArray(Double.self).map(Float.init)
        #expect(EW.approximatelyEqual(y, expected, relative: 1e-6), "\(op) \(approximate ?? ""): \(y)")
    }

    @Test func geluOnnxExample() throws {
        let y = try EW.evalOp("Gelu", [EW.f32([3], [-1, 0, 1])]).toArray(Float.self)
        #expect(EW.approximatelyEqual(y, [-0.15865525603294373, 0.0, 0.8413447737693787], relative: 1e-6))
    }

    @Test func sqrtAndReciprocal() throws {
        let x = try EW.f32([5], [6, 3, 0.5, 0, 4])
        #expect(try EW.evalOp("Sqrt", [x]).toArray(Float.self) == [2.4494898319244385, 1.7320507764816284, 0.7071067690849304, 0, 2])
        #expect(try EW.evalOp("Sqrt", [EW.f32([1], [-1])]).toArray(Float.self)[0].isNaN)
        let r = try EW.evalOp("Reciprocal", [EW.f32([4], [-6, -0.0010000000474974513, 0.30000001192092896, 0])]).toArray(Float.self)
        #expect(r == [-0.1666666716337204, -999.9999389648438, 3.3333332538604736, .infinity])
    }

    @Test func reluIntegersAndNaN() throws {
        let x = try Tensor(.int16, shape: [4], values: [Int16(-5), 0, 7, Int16.min])
        #expect(try EW.evalOp("Relu", [x], opset: 14).toArray(Int16.self) == [0, 0, 7, 0])
        #expect(try EW.evalOp("Relu", [EW.f32([1], [.nan])]).toArray(Float.self)[0].isNaN)
        let e = try Tensor(.int32, shape: [3], values: [Int32(-3), 0, 2])
        #expect(try EW.evalOp("Erf", [e], opset: 9).toArray(Int32.self) == [0, 0, 0])
    }

    @Test func sigmoidAndTanhExtremes() throws {
        let y = try EW.evalOp("Sigmoid", [EW.f32([4], [-200, 200, .infinity, -.infinity])]).toArray(Float.self)
        #expect(y == [0, 1, 1, 0])
        let t = try EW.evalOp("Tanh", [EW.f32([4], [-200, 200, .infinity, -.infinity])]).toArray(Float.self)
        #expect(t == [-1, 1, 1, -1])
    }
}

@Suite("Elementwise: logic and selection")
struct ElementwiseLogicTests {
    @Test func not() throws {
        #expect(try EW.evalOp("Not", [EW.bools([2, 2], [true, false, false, true])]).toArray(UInt8.self) == [0, 1, 1, 0])
    }

    @Test func comparisons() throws {
        let a = try EW.f32([3], [.nan, 1, 0]), b = try EW.f32([3], [.nan, 1, -0.0])
        #expect(try EW.evalOp("Equal", [a, b]).toArray(UInt8.self) == [0, 1, 1])
        let x = try Tensor(.uint64, shape: [2, 1], values: [UInt64(1), UInt64.max])
        let y = try Tensor(.uint64, shape: [3], values: [UInt64(0), 1, UInt64.max])
        #expect(try EW.evalOp("Less", [x, y]).toArray(UInt8.self) == [0, 0, 1, 0, 0, 0])
        #expect(try EW.evalOp("Greater", [x, y]).toArray(UInt8.self) == [1, 0, 0, 1, 1, 0])
        #expect(try EW.evalOp("Equal", [x, y]).toArray(UInt8.self) == [0, 1, 0, 0, 0, 1])
        let p = try EW.bools([2], [true, false]), q = try EW.bools([1], [false])
        #expect(try EW.evalOp("Equal", [p, q]).toArray(UInt8.self) == [0, 1])
    }

    @Test func equalStrings() throws {
        let s = try Tensor(strings: ["string1", "string2"], shape: [2]), t = try Tensor(strings: ["string1"], shape: [1])
        #expect(try EW.evalOp("Equal", [s, t], opset: 19).toArray(UInt8.self) == [1, 0])
        // Bytes, not canonical equivalence: "é" precomposed vs e + combining acute differ.
        let u = try Tensor(strings: ["\u{E9}"], shape: [1]), v = try Tensor(strings: ["e\u{301}"], shape: [1])
        #expect(try EW.evalOp("Equal", [u, v], opset: 19).toArray(UInt8.self) == [0])
    }

    @Test func whereBroadcasts() throws {
        let c = try EW.bools([2, 1], [true, false])
        let x = try Tensor(.int64, shape: [1, 3], values: [Int64(1), 2, 3])
        let y = try Tensor(.int64, shape: [], values: [Int64(-1)])
        let z = try EW.evalOp("Where", [c, x, y])
        #expect(z.shape == [2, 3])
        #expect(z.toArray(Int64.self) == [1, 2, 3, -1, -1, -1])
        let s = try EW.evalOp("Where", [EW.bools([3], [true, false, true]), Tensor(strings: ["a", "b", "c"], shape: [3]),
                                        Tensor(strings: ["z"], shape: [])])
        #expect(s.storage.strings == ["a", "z", "c"])
        let h = try EW.evalOp("Where", [EW.bools([2], [false, true]), Tensor(.float16, shape: [2], values: [UInt16(1), 2]),
                                        Tensor(.float16, shape: [2], values: [UInt16(3), 4])])
        #expect(h.toArray(UInt16.self) == [3, 2])
    }
}

@Suite("Elementwise: type inference")
struct ElementwiseInferenceTests {
    func infer(_ opType: String, _ inputs: [TensorType?], opset: Int = 20) throws -> [TensorType] {
        let node = Node(opType: opType, inputs: inputs.indices.map { "x\($0)" }, outputs: ["y"])
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.inferTypes(inputs, NodeAttributes(node, opset: opset))
    }

    @Test func broadcastDims() throws {
        let a = TensorType(.float, [.symbol("batch"), .value(1), .value(64)])
        let b = TensorType(.float, [.value(8), .unknown, .value(1)])
        #expect(try infer("Add", [a, b]) == [TensorType(.float, [.value(8), .unknown, .value(64)])])
        let e = TensorType(.float, [.value(2), .symbol("batch"), .value(1), .value(1)])
        #expect(try infer("Add", [e, a]) == [TensorType(.float, [.value(2), .symbol("batch"), .value(1), .value(64)])])
        let c = TensorType(.int64, [.symbol("n"), .symbol("m")]), d = TensorType(.int64, [.symbol("n"), .symbol("k")])
        #expect(try infer("Less", [c, d]) == [TensorType(.bool, [.symbol("n"), .unknown])])
        #expect(try infer("Mul", [a, nil]) == [TensorType(.float, nil)])
        #expect(throws: OpError.self) { try infer("Sub", [TensorType(.float, shape: [2, 3]), TensorType(.float, shape: [4])]) }
        let w = try infer("Where", [TensorType(.bool, shape: [2, 1]), TensorType(.string, shape: [3]), TensorType(.string, shape: [])])
        #expect(w == [TensorType(.string, shape: [2, 3])])
        #expect(try infer("Gelu", [a]) == [a])
        #expect(try infer("Not", [TensorType(.bool, shape: [4])]) == [TensorType(.bool, shape: [4])])
    }
}

@Suite("Elementwise: Where run shapes")
struct ElementwiseWhereRunTests {
    /// Every stride pattern of the innermost run (condition, x, y each per-element or broadcast),
    /// against a naive per-element reference.
    @Test(arguments: [([2, 5], [2, 5], [2, 5]), ([2, 5], [2, 1], [2, 5]), ([2, 5], [2, 5], [1]), ([2, 1], [2, 5], [2, 5]),
                      ([2, 1], [1], [2, 5]), ([2, 5], [1], [1]), ([5], [2, 1], [1, 5]), ([1], [2, 5], [5])])
    func matchesNaive(c: [Int], x: [Int], y: [Int]) throws {
        let out = try Broadcast.shape([c, x, y])
        let nc = c.reduce(1, *), nx = x.reduce(1, *), ny = y.reduce(1, *)
        let cv = (0..<nc).map { UInt8(($0 * 7 + 3) % 3 == 0 ? 1 : 0) }
        let xv = (0..<nx).map { Int32($0 + 100) }, yv = (0..<ny).map { Int32(-$0 - 1) }
        let z = try EW.evalOp("Where", [Tensor(.bool, shape: c, values: cv), Tensor(.int32, shape: x, values: xv),
                                        Tensor(.int32, shape: y, values: yv)])
        #expect(z.shape == out)
        let got = z.toArray(Int32.self)
        for i in 0..<got.count {
            let ic = EW.broadcastSourceIndex(i, outShape: out, shape: c)
            let ix = EW.broadcastSourceIndex(i, outShape: out, shape: x)
            let iy = EW.broadcastSourceIndex(i, outShape: out, shape: y)
            #expect(got[i] == (cv[ic] != 0 ? xv[ix] : yv[iy]))
        }
    }
}

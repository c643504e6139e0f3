import ONNXGraph
import Ops
import Testing

/// Shape, ConstantOfShape, Constant, Range and Trilu against numpy (np.arange, np.triu/np.tril)
/// and hand-derived values.
@Suite struct MovementValueTests {
    @Test func shape() throws {
        let x = try MV.iota([2, 3, 4, 5])
        #expect(MV.ints(try MV.run1("Shape", [x])) == [2, 3, 4, 5])
        #expect(MV.ints(try MV.run1("Shape", [x], ["start": .int(1), "end": .int(-1)], opset: 15)) == [3, 4])
        #expect(MV.ints(try MV.run1("Shape", [x], ["start": .int(-10), "end": .int(10)], opset: 15)) == [2, 3, 4, 5])
        #expect(try MV.run1("Shape", [x], ["start": .int(3), "end": .int(1)], opset: 15).shape == [0])
        #expect(MV.ints(try MV.run1("Shape", [x], ["start": .int(2)], opset: 13)) == [2, 3, 4, 5])
        #expect(try MV.run1("Shape", [MV.f32([], [1])]).shape == [0])
        #expect(try MV.infer("Shape", [TensorType(.float, [.symbol("b"), .unknown, .value(4)])], ["start": .int(-2)])[0]
            == TensorType(.int64, [.value(2)]))
    }

    @Test func constantOfShape() throws {
        let z = try MV.run1("ConstantOfShape", [MV.vec([2, 3])], opset: 9)
        #expect(z.dataType == .float && z.shape == [2, 3] && MV.floats(z) == Array(repeating: 0, count: 6))
        let v = try Tensor(.int32, shape: [1], values: [Int32(7)])
        let y = try MV.run1("ConstantOfShape", [MV.vec([5])], ["value": .tensor(v)])
        #expect(y.dataType == .int32 && y.toArray(Int32.self) == Array(repeating: 7, count: 5))
        let h = try Tensor(.float16, shape: [1], values: [Float16(1.5).bitPattern])
        #expect(try MV.run1("ConstantOfShape", [MV.vec([3])], ["value": .tensor(h)]).toArray(UInt16.self)
            == Array(repeating: Float16(1.5).bitPattern, count: 3))
        let b = try Tensor(.bool, shape: [1], values: [UInt8(1)])
        #expect(try MV.run1("ConstantOfShape", [MV.vec([2, 2])], ["value": .tensor(b)]).toArray(UInt8.self) == [1, 1, 1, 1])
        let s = try MV.run1("ConstantOfShape", [MV.i64([0], [])])
        #expect(s.shape == [] && MV.floats(s) == [0])
        #expect(try MV.run1("ConstantOfShape", [MV.vec([0, 3])]).shape == [0, 3])
        #expect(MV.fails("ConstantOfShape", [try MV.vec([-1])]))
        #expect(MV.fails("ConstantOfShape", [try MV.vec([1 << 40, 1 << 40])]))
        #expect(MV.fails("ConstantOfShape", [try MV.vec([2])], ["value": .tensor(try MV.f32([2], [1, 2]))]))
        #expect(MV.fails("ConstantOfShape", [try MV.i32([1], [2])]))
    }

    @Test func constant() throws {
        let t = try MV.f32([2], [1, 2])
        #expect(MV.floats(try MV.run1("Constant", [], ["value": .tensor(t)], opset: 1)) == [1, 2])
        let f = try MV.run1("Constant", [], ["value_float": .float(2.5)], opset: 13)
        #expect(f.shape == [] && MV.floats(f) == [2.5])
        #expect(MV.floats(try MV.run1("Constant", [], ["value_floats": .floats([1, 2, 3])])) == [1, 2, 3])
        let i = try MV.run1("Constant", [], ["value_int": .int(-4)])
        #expect(i.dataType == .int64 && i.shape == [] && MV.ints(i) == [-4])
        #expect(MV.ints(try MV.run1("Constant", [], ["value_ints": .ints([5, 6])])) == [5, 6])
        #expect(try MV.run1("Constant", [], ["value_string": .string("hi")]).storage.strings == ["hi"])
        #expect(try MV.run1("Constant", [], ["value_strings": .strings(["a", "b"])]).shape == [2])
        #expect(MV.floats(try MV.run1("Constant", [], ["sparse_value": .sparseTensor(t)], opset: 11)) == [1, 2])
        #expect(MV.fails("Constant", []))
        #expect(MV.fails("Constant", [], ["value_int": .int(1), "value_float": .float(1)]))
        #expect(MV.fails("Constant", [], ["value_int": .float(1)]))
        #expect(try MV.infer("Constant", [], ["value_ints": .ints([1, 2, 3])])[0] == TensorType(.int64, shape: [3]))
    }

    @Test func rangeValues() throws {
        let f = try MV.run1("Range", [MV.f32([], [1]), MV.f32([], [5]), MV.f32([], [2])], opset: 11)
        #expect(f.shape == [2] && MV.floats(f) == [1, 3])
        let i = try MV.run1("Range", [MV.i32([], [10]), MV.i32([], [6]), MV.i32([], [-3])])
        #expect(i.toArray(Int32.self) == [10, 7])
        let d = try MV.run1("Range", [Tensor(.double, shape: [], values: [0.1]), Tensor(.double, shape: [], values: [1.0]),
                                      Tensor(.double, shape: [], values: [0.3])])
        #expect(d.toArray(Double.self) == [0.1, 0.4, 0.7000000000000001])
        let l = try MV.run1("Range", [MV.i64([], [-5]), MV.i64([], [5]), MV.i64([], [3])])
        #expect(MV.ints(l) == [-5, -2, 1, 4])
        let s = try MV.run1("Range", [Tensor(.int16, shape: [], values: [Int16(3)]), Tensor(.int16, shape: [], values: [Int16(3)]),
                                      Tensor(.int16, shape: [], values: [Int16(1)])])
        #expect(s.shape == [0])
        let e = try MV.run1("Range", [MV.f32([], [5]), MV.f32([], [1]), MV.f32([], [1])])
        #expect(e.shape == [0])
        let h = { (v: Float) throws -> Tensor in try Tensor(.float16, shape: [], values: [Float16(v).bitPattern]) }
        let hr = try MV.run1("Range", [h(1), h(5), h(2)], opset: 27)
        #expect(hr.toArray(UInt16.self) == [Float16(1).bitPattern, Float16(3).bitPattern])
        let bh = { (v: Float) throws -> Tensor in try Tensor(.bfloat16, shape: [], values: [FloatFormats.floatToBfloat16(v)]) }
        let br = try MV.run1("Range", [bh(1), bh(5), bh(2)], ["stash_type": .int(11)], opset: 27)
        #expect(br.toArray(UInt16.self) == [FloatFormats.floatToBfloat16(1), FloatFormats.floatToBfloat16(3)])
        #expect(MV.fails("Range", [try h(1), try h(5), try h(2)], ["stash_type": .int(10)], opset: 27))
        #expect(try MV.run1("Range", [MV.f32([], [0]), MV.f32([], [2]), MV.f32([], [1])], ["stash_type": .int(10)]).shape == [2])
    }

    @Test func rangeBadInput() throws {
        #expect(MV.fails("Range", [try MV.f32([], [0]), try MV.f32([], [1]), try MV.f32([], [0])]))
        #expect(MV.fails("Range", [try MV.i64([], [0]), try MV.i64([], [1]), try MV.i64([], [0])]))
        #expect(MV.fails("Range", [try MV.i64([], [0]), try MV.i64([], [Int64.max]), try MV.i64([], [1])]))
        #expect(MV.fails("Range", [try MV.i64([], [Int64.min]), try MV.i64([], [Int64.max]), try MV.i64([], [1])]))
        #expect(MV.fails("Range", [try MV.f32([], [0]), try MV.f32([], [1e30]), try MV.f32([], [1])]))
        #expect(MV.fails("Range", [try MV.f32([], [0]), try MV.f32([], [.infinity]), try MV.f32([], [1])]))
        #expect(MV.fails("Range", [try MV.f32([], [0]), try MV.i64([], [1]), try MV.f32([], [1])]))
        #expect(MV.fails("Range", [try MV.f32([2], [0, 1]), try MV.f32([], [1]), try MV.f32([], [1])]))
        #expect(MV.fails("Range", [try MV.str([], ["a"]), try MV.str([], ["b"]), try MV.str([], ["c"])]))
    }

    static let triluCases: [(Bool, Int64?, [Float])] = [
        (true, nil, [1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12]),
        (true, 1, [0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12]),
        (false, -1, [0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0]),
        (false, 0, [1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0]),
        (true, -5, (1...12).map { Float($0) }),
        (false, 9, (1...12).map { Float($0) }),
        (true, Int64.max, Array(repeating: 0, count: 12)),
        (false, Int64.min, Array(repeating: 0, count: 12)),
        (false, Int64.max, (1...12).map { Float($0) }),
    ]

    @Test(arguments: triluCases)
    func trilu(_ c: (Bool, Int64?, [Float])) throws {
        let x = try MV.f32([3, 4], (1...12).map { Float($0) })
        let y = try MV.run1("Trilu", [x, c.1.map { try MV.i64([], [$0]) }], ["upper": .int(c.0 ? 1 : 0)], opset: 14)
        #expect(y.shape == [3, 4])
        #expect(MV.floats(y) == c.2)
    }

    @Test func triluBatchedStringsAndBad() throws {
        let x = try MV.iota([2, 2, 2])
        #expect(MV.floats(try MV.run1("Trilu", [x], ["upper": .int(0)])) == [0, 0, 2, 3, 4, 0, 6, 7])
        let s = try MV.run1("Trilu", [MV.str([2, 2], ["a", "b", "c", "d"])])
        #expect(s.storage.strings == ["a", "b", "", "d"])
        #expect(try MV.run1("Trilu", [MV.iota([0, 3])]).shape == [0, 3])
        #expect(MV.fails("Trilu", [try MV.iota([3])]))
        #expect(MV.fails("Trilu", [try MV.iota([2, 2]), try MV.i64([2], [0, 1])]))
    }
}

/// Edge cases that must throw or work without trapping on extreme values.
@Suite struct MovementEdgeTests {
    @Test func rangeIntegerDivisionOverflow() throws {
        #expect(MV.fails("Range", [try MV.i64([], [0]), try MV.i64([], [Int64.min]), try MV.i64([], [-1])]))
    }

    @Test func scatterNDIntoScalar() throws {
        let y = try MV.run1("ScatterND", [MV.f32([], [1]), MV.i64([1, 0], []), MV.f32([1], [5])], ["reduction": .string("add")], opset: 16)
        #expect(y.shape == [] && MV.floats(y) == [6])
    }

    /// Shape → Gather → Unsqueeze → Concat keeps static facts through the chain.
    @Test func shapeArithmeticChainInference() throws {
        let shape = try MV.infer("Shape", [TensorType(.float, [.symbol("b"), .symbol("t"), .value(512)])])[0]
        #expect(shape == TensorType(.int64, [.value(3)]))
        let g = try MV.infer("Gather", [shape, TensorType(.int64, [])])[0]
        #expect(g == TensorType(.int64, []))
        let u = try MV.infer("Unsqueeze", [g, TensorType(.int64, [.value(1)])])[0]
        #expect(u == TensorType(.int64, [.value(1)]))
        let c = try MV.infer("Concat", [u, TensorType(.int64, [.value(1)]), TensorType(.int64, [.value(2)])], ["axis": .int(0)])[0]
        #expect(c == TensorType(.int64, [.value(4)]))
        let r = try MV.infer("Reshape", [TensorType(.float, [.symbol("b"), .symbol("t"), .value(512)]), c])[0]
        #expect(r.rank == 4)
        let e = try MV.infer("Expand", [TensorType(.float, [.value(3), .value(1)]), TensorType(.int64, [.value(3)])])[0]
        #expect(e == TensorType(.float, [.unknown, .value(3), .unknown]))
        let cos = try MV.infer("ConstantOfShape", [c])[0]
        #expect(cos == TensorType(.float, [.unknown, .unknown, .unknown, .unknown]))
    }
}

/// Forward shape facts of the ops whose parameters are attributes or shapes.
@Suite struct MovementInferenceTests {
    @Test func sliceSplitTileTriluFacts() throws {
        let x = TensorType(.float, shape: [5, 6, 7])
        #expect(try MV.infer("Slice", [x], ["starts": .ints([1, -3]), "ends": .ints([100, -1]), "axes": .ints([0, 2])], opset: 1)[0]
            == TensorType(.float, shape: [4, 6, 2]))
        #expect(try MV.infer("Slice", [x, TensorType(.int64, [.value(1)]), TensorType(.int64, [.value(1)])])[0]
            == TensorType(.float, [.unknown, .unknown, .unknown]))
        #expect(try MV.infer("Split", [x], ["axis": .int(1), "split": .ints([2, 4])], opset: 11, outputs: 2)
            == [TensorType(.float, shape: [5, 2, 7]), TensorType(.float, shape: [5, 4, 7])])
        #expect(try MV.infer("Split", [x, TensorType(.int64, [.value(2)])], ["axis": .int(1)], outputs: 2)[1]
            == TensorType(.float, [.value(5), .unknown, .value(7)]))
        #expect(try MV.infer("Tile", [x, TensorType(.int64, [.value(3)])])[0].rank == 3)
        #expect(try MV.infer("Trilu", [x])[0] == x)
        #expect(try MV.infer("ScatterND", [x, TensorType(.int64, [.value(2), .value(1)]), TensorType.unknown])[0] == x)
        #expect(try MV.infer("GatherElements", [x, TensorType(.int64, shape: [5, 2, 7])], ["axis": .int(1)])[0]
            == TensorType(.float, shape: [5, 2, 7]))
        #expect(try MV.infer("Range", [TensorType(.int32, []), TensorType(.int32, []), TensorType(.int32, [])])[0]
            == TensorType(.int32, [.unknown]))
        #expect(try MV.infer("Identity", [x])[0] == x)
        #expect(try MV.infer("Reshape", [x, TensorType(.int64, [.value(1)])])[0] == TensorType(.float, shape: [210]))
        #expect(try MV.infer("Squeeze", [TensorType(.float, shape: [1, 4, 1]), TensorType(.int64, [.value(2)])])[0]
            == TensorType(.float, shape: [4]))
        #expect(try MV.infer("Squeeze", [TensorType(.float, [.value(1), .symbol("b")]), TensorType(.int64, [.value(1)])])[0]
            == TensorType(.float, [.unknown]))
    }
}

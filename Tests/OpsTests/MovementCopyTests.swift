import ONNXGraph
import Ops
import Testing

/// Concat, Split, Slice, Expand and Tile against numpy (np.concatenate, np.split /
/// np.array_split, basic slicing, np.broadcast_to, np.tile on np.arange inputs).
@Suite struct MovementCopyTests {
    @Test func concat() throws {
        let a = try MV.iota([2, 3]), b = try MV.f32([2, 2], [100, 101, 102, 103])
        let y = try MV.run1("Concat", [a, b], ["axis": .int(-1)])
        #expect(y.shape == [2, 5])
        #expect(MV.floats(y) == [0, 1, 2, 100, 101, 3, 4, 5, 102, 103])
        let z = try MV.run1("Concat", [a, MV.f32([1, 3], [50, 51, 52]), MV.iota([0, 3])], ["axis": .int(0)], opset: 4)
        #expect(z.shape == [3, 3])
        #expect(MV.floats(z) == [0, 1, 2, 3, 4, 5, 50, 51, 52])
        #expect(try MV.run1("Concat", [a, b], opset: 1).shape == [2, 5])
        let s = try MV.run1("Concat", [MV.str([2, 1], ["a", "b"]), MV.str([2, 1], ["c", "d"])], ["axis": .int(1)])
        #expect(s.storage.strings == ["a", "c", "b", "d"])
        #expect(MV.fails("Concat", [a, b], ["axis": .int(0)]))
        #expect(MV.fails("Concat", [a, try MV.iota([2, 3, 1])], ["axis": .int(0)]))
        #expect(MV.fails("Concat", [a, try MV.vec([1, 2, 3, 4, 5, 6]).reshaped([2, 3])], ["axis": .int(0)]))
        #expect(MV.fails("Concat", [a], ["axis": .int(2)]))
        #expect(MV.fails("Concat", [try MV.f32([], [1])], ["axis": .int(0)]))
    }

    @Test func concatInference() throws {
        let t = try MV.infer("Concat", [TensorType(.int64, [.value(2)]), TensorType(.int64, [.value(1)]), TensorType(.int64, [.value(3)])],
                             ["axis": .int(0)])
        #expect(t[0] == TensorType(.int64, [.value(6)]))
        let u = try MV.infer("Concat", [TensorType(.float, [.symbol("b"), .unknown]), TensorType(.float, [.unknown, .value(4)])],
                             ["axis": .int(1)])
        #expect(u[0] == TensorType(.float, [.symbol("b"), .unknown]))
    }

    @Test func splitNumOutputsUneven() throws {
        let ys = try MV.run("Split", [MV.iota([7, 2])], ["num_outputs": .int(3)], opset: 18, outputs: 3)
        #expect(ys.map(\.shape) == [[3, 2], [3, 2], [1, 2]])
        #expect(ys.map(MV.floats) == [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11], [12, 13]])
    }

    @Test func splitSizesEveryOpset() throws {
        let x = try MV.iota([2, 6])
        let expected: [[Float]] = [[0, 6], [1, 2, 3, 7, 8, 9], [4, 5, 10, 11]]
        let a = try MV.run("Split", [x, MV.vec([1, 3, 2])], ["axis": .int(1)], opset: 13, outputs: 3)
        #expect(a.map(MV.floats) == expected && a.map(\.shape) == [[2, 1], [2, 3], [2, 2]])
        let b = try MV.run("Split", [x], ["axis": .int(-1), "split": .ints([1, 3, 2])], opset: 11, outputs: 3)
        #expect(b.map(MV.floats) == expected)
        let c = try MV.run("Split", [x], ["axis": .int(1), "split": .ints([1, 3, 2])], opset: 2, outputs: 3)
        #expect(c.map(MV.floats) == expected)
        let d = try MV.run("Split", [x, MV.vec([1, 3, 2])], ["axis": .int(1)], opset: 1, outputs: 3)
        #expect(d.map(MV.floats) == expected)
        let e = try MV.run("Split", [x], ["axis": .int(1)], opset: 13, outputs: 2)
        #expect(e.map(MV.floats) == [[0, 1, 2, 6, 7, 8], [3, 4, 5, 9, 10, 11]])
        let z = try MV.run("Split", [x, MV.vec([0, 6])], ["axis": .int(1)], outputs: 2)
        #expect(z.map(\.shape) == [[2, 0], [2, 6]])
        let s = try MV.run("Split", [MV.str([3], ["a", "b", "c"]), MV.vec([2, 1])], outputs: 2)
        #expect(s.map(\.storage.strings) == [["a", "b"], ["c"]])
    }

    @Test func splitBadInput() throws {
        let x = try MV.iota([2, 6])
        #expect(MV.fails("Split", [x, try MV.vec([1, 2])], ["axis": .int(1)], outputs: 2))
        #expect(MV.fails("Split", [x, try MV.vec([7, -1])], ["axis": .int(1)], outputs: 2))
        #expect(MV.fails("Split", [x], ["axis": .int(1)], outputs: 4))
        #expect(MV.fails("Split", [x], ["axis": .int(2)], outputs: 2))
        #expect(MV.fails("Split", [x], ["num_outputs": .int(3)], opset: 18, outputs: 2))
        #expect(MV.fails("Split", [try MV.iota([2])], ["num_outputs": .int(4)], opset: 18, outputs: 4))
    }

    @Test func splitInference() throws {
        let t = try MV.infer("Split", [TensorType(.float, [.symbol("b"), .value(7)])], ["axis": .int(1), "num_outputs": .int(3)],
                             opset: 18, outputs: 3)
        #expect(t.map { $0.dims?[1] } == [.value(3), .value(3), .value(1)])
    }

    static let sliceCases: [([Int64], [Int64], [Int64]?, [Int64]?, [Int], [Float])] = [
        ([-2, 0], [0, 4], [1, 2], [-1, 2], [2, 1, 2], [4, 6, 16, 18]),
        ([1, 0, -3], [Int64.max, 100, -1], nil, nil, [1, 3, 2], [13, 14, 17, 18, 21, 22]),
        ([-1, -1], [Int64.min, Int64.min], [1, -1], [-1, -3], [2, 3, 2], [11, 8, 7, 4, 3, 0, 23, 20, 19, 16, 15, 12]),
        ([5], [10], [0], nil, [0, 3, 4], []),
        // The spec (and ONNX Runtime) clamps a start below -dim to 0 for negative steps, so one
        // element remains; numpy's x[-7::-1] would be empty here.
        ([-7], [Int64.min], [2], [-1], [2, 3, 1], [0, 4, 8, 12, 16, 20]),
    ]

    @Test(arguments: sliceCases)
    func slice(_ c: ([Int64], [Int64], [Int64]?, [Int64]?, [Int], [Float])) throws {
        let y = try MV.run1("Slice", [MV.iota([2, 3, 4]), MV.vec(c.0), MV.vec(c.1), c.2.map(MV.vec), c.3.map(MV.vec)])
        #expect(y.shape == c.4)
        #expect(MV.floats(y) == c.5)
    }

    @Test func sliceOpset1AndStrings() throws {
        let y = try MV.run1("Slice", [MV.iota([2, 3, 4])], ["starts": .ints([1, 0, 1]), "ends": .ints([2, 2, 3])], opset: 1)
        #expect(y.shape == [1, 2, 2])
        #expect(MV.floats(y) == [13, 14, 17, 18])
        let z = try MV.run1("Slice", [MV.iota([2, 3, 4])], ["starts": .ints([1]), "ends": .ints([-1]), "axes": .ints([-1])], opset: 1)
        #expect(z.shape == [2, 3, 2])
        let s = try MV.run1("Slice", [MV.str([4], ["a", "b", "c", "d"]), MV.i32([1], [-1]), MV.i32([1], [-5]),
                                      MV.i32([1], [0]), MV.i32([1], [-2])], opset: 13)
        #expect(s.storage.strings == ["d", "b"])
        #expect(try MV.run1("Slice", [MV.iota([0, 2]), MV.vec([0]), MV.vec([1])]).shape == [0, 2])
    }

    @Test func sliceBadInput() throws {
        let x = try MV.iota([2, 3])
        #expect(MV.fails("Slice", [x, try MV.vec([0]), try MV.vec([1]), try MV.vec([0]), try MV.vec([0])]))
        #expect(MV.fails("Slice", [x, try MV.vec([0]), try MV.vec([1]), try MV.vec([2])]))
        #expect(MV.fails("Slice", [x, try MV.vec([0, 0]), try MV.vec([1]), nil]))
        #expect(MV.fails("Slice", [x, try MV.vec([0, 0]), try MV.vec([1, 1]), try MV.vec([1, -1])]))
        #expect(MV.fails("Slice", [x, try MV.f32([1], [0]), try MV.vec([1])]))
    }

    @Test func expand() throws {
        let y = try MV.run1("Expand", [MV.f32([3, 1], [0, 1, 2]), MV.vec([2, 1, 6])])
        #expect(y.shape == [2, 3, 6])
        #expect(MV.floats(y) == (0..<2).flatMap { _ in (0..<3).flatMap { v in Array(repeating: Float(v), count: 6) } })
        let z = try MV.run1("Expand", [MV.iota([2, 3]), MV.vec([3])], opset: 8)
        #expect(z.shape == [2, 3] && MV.floats(z) == [0, 1, 2, 3, 4, 5])
        let s = try MV.run1("Expand", [MV.str([2, 1], ["a", "b"]), MV.vec([2, 2])])
        #expect(s.storage.strings == ["a", "a", "b", "b"])
        #expect(try MV.run1("Expand", [MV.iota([1, 3]), MV.vec([0, 1])]).shape == [0, 3])
        #expect(MV.fails("Expand", [try MV.iota([2, 3]), try MV.vec([4, 3])]))
        #expect(MV.fails("Expand", [try MV.iota([2, 3]), try MV.vec([-1, 3])]))
        #expect(MV.fails("Expand", [try MV.iota([1]), try MV.vec([1 << 40, 1 << 40])]))
    }

    @Test func tile() throws {
        let x = try MV.iota([2, 3])
        let y = try MV.run1("Tile", [x, MV.vec([2, 2])])
        #expect(y.shape == [4, 6])
        #expect(MV.floats(y) == [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
        let z = try MV.run1("Tile", [x, MV.vec([3, 1])], opset: 6)
        #expect(MV.floats(z) == Array(repeating: [0, 1, 2, 3, 4, 5], count: 3).flatMap { $0 })
        let l = try MV.run1("Tile", [x, MV.i64([], [3]), MV.i64([], [0])], opset: 1)
        #expect(MV.floats(l) == MV.floats(z))
        #expect(try MV.run1("Tile", [x, MV.vec([0, 2])]).shape == [0, 6])
        let s = try MV.run1("Tile", [MV.str([2], ["a", "b"]), MV.vec([2])])
        #expect(s.storage.strings == ["a", "b", "a", "b"])
        #expect(MV.fails("Tile", [x, try MV.vec([2])]))
        #expect(MV.fails("Tile", [x, try MV.vec([-1, 2])]))
        #expect(MV.fails("Tile", [x, try MV.vec([Int64.max, 2])]))
        #expect(MV.fails("Tile", [try MV.str([1], ["a"]), try MV.vec([1 << 50])]))
        #expect(MV.fails("Expand", [try MV.str([1], ["a"]), try MV.vec([1 << 30, 1 << 30])]))
    }
}

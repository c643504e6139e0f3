import ONNXGraph
import Ops
import Testing

/// Transpose, Reshape, Squeeze, Unsqueeze and Identity against numpy (values pasted from
/// np.transpose / np.reshape on np.arange inputs).
@Suite struct MovementLayoutTests {
    static let transposeCases: [([Int]?, [Int], [Float])] = [
        (nil, [4, 3, 2], [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23]),
        ([1, 0, 2], [3, 2, 4], [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23]),
        ([2, 0, 1], [4, 2, 3], [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23]),
        ([0, 1, 2], [2, 3, 4], (0..<24).map { Float($0) }),
    ]

    @Test(arguments: transposeCases)
    func transpose(_ c: ([Int]?, [Int], [Float])) throws {
        let y = try MV.run1("Transpose", [MV.iota([2, 3, 4])], c.0.map { ["perm": .ints($0)] } ?? [:])
        #expect(y.shape == c.1)
        #expect(MV.floats(y) == c.2)
    }

    /// Checksums sum(out.ravel() * arange) from numpy, over tile-crossing and rank-6 shapes.
    @Test func transposeLargeAndHighRank() throws {
        let y6 = try MV.run1("Transpose", [MV.iota([2, 3, 4, 5, 2, 3])], ["perm": .ints([3, 5, 1, 0, 4, 2])])
        #expect(y6.shape == [5, 3, 3, 2, 2, 4])
        #expect(MV.floats(y6).prefix(20).elementsEqual([0, 30, 60, 90, 3, 33, 63, 93, 360, 390, 420, 450, 363, 393, 423, 453, 120, 150, 180, 210]))
        #expect(MV.floats(y6).enumerated().reduce(0) { $0 + Int($1.element) * $1.offset } == 95789340)
        let y2 = try MV.run1("Transpose", [MV.iota([37, 41])])
        #expect(MV.floats(y2).enumerated().reduce(0) { $0 + Int($1.element) * $1.offset } == 886562106)
    }

    /// Every element width (1, 2, 8, 16 bytes) and strings through the same permutation.
    @Test func transposeTypes() throws {
        let expected: [Int] = [0, 3, 1, 4, 2, 5]
        let u8 = try Tensor(.uint8, shape: [2, 3], values: (0..<6).map { UInt8($0) })
        #expect(try MV.run1("Transpose", [u8]).toArray(UInt8.self) == expected.map { UInt8($0) })
        let b = try Tensor(.bool, shape: [2, 3], values: [UInt8]([1, 0, 0, 1, 1, 0]))
        #expect(try MV.run1("Transpose", [b]).toArray(UInt8.self) == [1, 1, 0, 1, 0, 0])
        let h = try Tensor(.float16, shape: [2, 3], values: (0..<6).map { UInt16($0) })
        #expect(try MV.run1("Transpose", [h]).toArray(UInt16.self) == expected.map { UInt16($0) })
        let i4 = try Tensor(.int4, shape: [2, 3], values: [Int8]([-8, -1, 0, 1, 2, 7]))
        let t4 = try MV.run1("Transpose", [i4])
        #expect(t4.dataType == .int4 && t4.toArray(Int8.self) == [-8, 1, -1, 2, 0, 7])
        let c = try Tensor(allocating: .complex128, shape: [2, 3])
        for i in 0..<12 { c.elements(Double.self)[i] = Double(i) }
        let tc = try MV.run1("Transpose", [c])
        #expect(Array(UnsafeBufferPointer(start: tc.elements(Double.self), count: 12)) == [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11])
        let s = try MV.str([2, 3], ["a", "b", "c", "d", "e", "f"])
        #expect(try MV.run1("Transpose", [s]).storage.strings == ["a", "d", "b", "e", "c", "f"])
    }

    @Test func transposeBadPerm() throws {
        let x = try MV.iota([2, 3])
        #expect(MV.fails("Transpose", [x], ["perm": .ints([0, 0])]))
        #expect(MV.fails("Transpose", [x], ["perm": .ints([0, 1, 2])]))
        #expect(MV.fails("Transpose", [x], ["perm": .ints([-1, 0])]))
        #expect(MV.fails("Transpose", [x], ["perm": .ints([2, 0])]))
    }

    @Test func transposeInference() throws {
        let t = try MV.infer("Transpose", [TensorType(.float, [.symbol("b"), .value(3), .unknown])], ["perm": .ints([2, 0, 1])])
        #expect(t[0] == TensorType(.float, [.unknown, .symbol("b"), .value(3)]))
    }

    @Test func reshapeIsAViewWithZeroAndMinusOne() throws {
        let x = try MV.iota([2, 3, 4])
        let y = try MV.run1("Reshape", [x, MV.vec([0, -1])])
        #expect(y.shape == [2, 12])
        #expect(y.storage === x.storage)
        #expect(try MV.run1("Reshape", [x, MV.vec([-1])]).shape == [24])
        #expect(try MV.run1("Reshape", [x, MV.vec([4, 0, 2])]).shape == [4, 3, 2])
        #expect(try MV.run1("Reshape", [x], ["shape": .ints([6, -1])], opset: 1).shape == [6, 4])
        let empty = try MV.iota([0, 3])
        #expect(try MV.run1("Reshape", [empty, MV.vec([3, 0])], ["allowzero": .int(1)], opset: 14).shape == [3, 0])
        #expect(try MV.run1("Reshape", [empty, MV.vec([0, 3])]).shape == [0, 3])
        let s = try MV.str([2, 2], ["a", "b", "c", "d"])
        #expect(try MV.run1("Reshape", [s, MV.vec([4])]).storage.strings == ["a", "b", "c", "d"])
    }

    @Test func reshapeBadInput() throws {
        let x = try MV.iota([2, 3])
        #expect(MV.fails("Reshape", [x, try MV.vec([4, 2])]))
        #expect(MV.fails("Reshape", [x, try MV.vec([-1, -1])]))
        #expect(MV.fails("Reshape", [x, try MV.vec([-2, -3])]))
        #expect(MV.fails("Reshape", [x, try MV.vec([5, -1])]))
        #expect(MV.fails("Reshape", [x, try MV.vec([0, 0, 0])]))
        #expect(MV.fails("Reshape", [x, try MV.vec([0, -1])], ["allowzero": .int(1)], opset: 14))
        #expect(MV.fails("Reshape", [x, try MV.vec([6, 0])], ["allowzero": .int(1)], opset: 14))
        #expect(MV.fails("Reshape", [x, try MV.vec([Int64.max, Int64.max])]))
        #expect(MV.fails("Reshape", [x, try MV.i32([2], [3, 2])]))
    }

    @Test func reshapeInference() throws {
        let t = try MV.infer("Reshape", [TensorType(.float, [.symbol("b"), .value(6)]), TensorType(.int64, [.value(3)])])
        #expect(t[0] == TensorType(.float, [.unknown, .unknown, .unknown]))
        let a = try MV.infer("Reshape", [TensorType(.float, shape: [2, 6])], ["shape": .ints([0, 3, -1])], opset: 1)
        #expect(a[0] == TensorType(.float, shape: [2, 3, 2]))
    }

    @Test func squeezeAndUnsqueeze() throws {
        let x = try MV.iota([1, 3, 1, 2])
        #expect(try MV.run1("Squeeze", [x]).shape == [3, 2])
        #expect(try MV.run1("Squeeze", [x, MV.vec([-2])]).shape == [1, 3, 2])
        #expect(try MV.run1("Squeeze", [x], ["axes": .ints([0, 2])], opset: 11).shape == [3, 2])
        #expect(try MV.run1("Squeeze", [x], opset: 1).shape == [3, 2])
        let u = try MV.run1("Unsqueeze", [x, MV.vec([0, -1])])
        #expect(u.shape == [1, 1, 3, 1, 2, 1])
        #expect(u.storage === x.storage)
        #expect(try MV.run1("Unsqueeze", [MV.iota([3, 4])], ["axes": .ints([1, 3])], opset: 11).shape == [3, 1, 4, 1])
        #expect(try MV.run1("Unsqueeze", [MV.f32([], [5]), MV.vec([0])]).shape == [1])
        #expect(MV.fails("Squeeze", [x, try MV.vec([1])]))
        #expect(MV.fails("Squeeze", [x, try MV.vec([4])]))
        #expect(MV.fails("Unsqueeze", [x, try MV.vec([0, 0])]))
        #expect(MV.fails("Unsqueeze", [x, try MV.vec([6])]))
        #expect(MV.fails("Unsqueeze", [x], opset: 11))
    }

    @Test func squeezeUnsqueezeInference() throws {
        let f = TensorType(.float, [.symbol("b"), .value(1), .value(4)])
        #expect(try MV.infer("Unsqueeze", [f], ["axes": .ints([0, -1])], opset: 11)[0]
            == TensorType(.float, [.value(1), .symbol("b"), .value(1), .value(4), .value(1)]))
        #expect(try MV.infer("Unsqueeze", [f, TensorType(.int64, [.value(1)])])[0].rank == 4)
        #expect(try MV.infer("Squeeze", [f], ["axes": .ints([1])], opset: 11)[0] == TensorType(.float, [.symbol("b"), .value(4)]))
        #expect(try MV.infer("Squeeze", [TensorType(.float, shape: [1, 4, 1])])[0] == TensorType(.float, shape: [4]))
    }

    @Test func identityShares() throws {
        let x = try MV.str([2], ["p", "q"])
        let y = try MV.run1("Identity", [x])
        #expect(y.storage === x.storage && y.shape == [2])
    }
}

import ONNXGraph
import Ops
import Testing

/// Gather, GatherElements and ScatterND against numpy (np.take, np.take_along_axis, loops).
@Suite struct MovementIndexingTests {
    @Test func gatherAxis1WithNegativeIndex() throws {
        let y = try MV.run1("Gather", [MV.iota([2, 3, 4]), MV.i64([2, 2], [0, -1, 2, 1])], ["axis": .int(1)])
        #expect(y.shape == [2, 2, 2, 4])
        #expect(MV.floats(y) == [0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11, 4, 5, 6, 7,
                                 12, 13, 14, 15, 20, 21, 22, 23, 20, 21, 22, 23, 16, 17, 18, 19])
    }

    @Test func gatherLastAxisInt32Indices() throws {
        let y = try MV.run1("Gather", [MV.iota([2, 3, 4]), MV.i32([2], [3, 0])], ["axis": .int(-1)], opset: 11)
        #expect(y.shape == [2, 3, 2])
        #expect(MV.floats(y) == [3, 0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20])
    }

    @Test func gatherScalarIndex() throws {
        let y = try MV.run1("Gather", [MV.iota([2, 3, 4]), MV.i64([], [1])], opset: 1)
        #expect(y.shape == [3, 4])
        #expect(MV.floats(y) == (12..<24).map { Float($0) })
    }

    @Test func gatherStringsAndEmpty() throws {
        let s = try MV.str([3], ["a", "bb", "ccc"])
        let y = try MV.run1("Gather", [s, MV.i64([4], [2, 0, -2, 2])])
        #expect(y.storage.strings == ["ccc", "a", "bb", "ccc"])
        let e = try MV.run1("Gather", [MV.iota([3, 2]), MV.i64([0], [])])
        #expect(e.shape == [0, 2])
    }

    @Test func gatherBadInput() throws {
        #expect(MV.fails("Gather", [try MV.iota([3]), try MV.i64([1], [3])]))
        #expect(MV.fails("Gather", [try MV.iota([3]), try MV.i64([1], [-4])]))
        #expect(MV.fails("Gather", [try MV.iota([0, 2]), try MV.i64([1], [0])]))
        #expect(MV.fails("Gather", [try MV.iota([3]), try MV.f32([1], [0])]))
        #expect(MV.fails("Gather", [try MV.iota([3]), try MV.i64([1], [0])], ["axis": .int(1)]))
        #expect(MV.fails("Gather", [try MV.str([2], ["a", "b"]), try MV.i64([1], [2])]))
    }

    @Test func gatherInference() throws {
        let t = try MV.infer("Gather", [TensorType(.float, [.symbol("b"), .value(5), .value(7)]),
                                        TensorType(.int64, [.value(2), .unknown])], ["axis": .int(1)])
        #expect(t[0] == TensorType(.float, [.symbol("b"), .value(2), .unknown, .value(7)]))
        let s = try MV.infer("Gather", [TensorType(.int64, [.value(4)]), TensorType(.int64, [])])
        #expect(s[0] == TensorType(.int64, []))
    }

    @Test func gatherElements() throws {
        let d = try MV.iota([3, 3])
        let y = try MV.run1("GatherElements", [d, MV.i64([2, 3], [1, 2, 0, 2, 0, 0])], ["axis": .int(0)])
        #expect(y.shape == [2, 3])
        #expect(MV.floats(y) == [3, 7, 2, 6, 1, 2])
        let z = try MV.run1("GatherElements", [d, MV.i32([3, 2], [-1, 0, 1, -3, 2, 2])], ["axis": .int(-1)])
        #expect(MV.floats(z) == [2, 0, 4, 3, 8, 8])
        let s = try MV.run1("GatherElements", [MV.str([2, 2], ["a", "b", "c", "d"]), MV.i64([2, 2], [1, 0, -1, -1])],
                            ["axis": .int(1)])
        #expect(s.storage.strings == ["b", "a", "d", "d"])
    }

    @Test func gatherElementsBadInput() throws {
        let d = try MV.iota([3, 3])
        #expect(MV.fails("GatherElements", [d, try MV.i64([1, 1], [3])]))
        #expect(MV.fails("GatherElements", [d, try MV.i64([1, 1], [-4])], ["axis": .int(1)]))
        #expect(MV.fails("GatherElements", [d, try MV.i64([3], [0, 0, 0])]))
        #expect(MV.fails("GatherElements", [d, try MV.i64([1, 4], [0, 0, 0, 0])]))
    }

    static let scatterCases: [(String, [Float])] = [
        ("none", [1, 2, 1, 2, 30, 40, 7, 8]),
        ("add", [1, 2, 14, 26, 35, 46, 7, 8]),
        ("mul", [1, 2, 30, 160, 150, 240, 7, 8]),
        ("max", [1, 2, 10, 20, 30, 40, 7, 8]),
        ("min", [1, 2, 1, 2, 5, 6, 7, 8]),
    ]

    @Test(arguments: scatterCases)
    func scatterND(_ c: (String, [Float])) throws {
        let data = try MV.f32([2, 2, 2], (1...8).map { Float($0) })
        let idx = try MV.i64([3, 2], [0, 1, 1, 0, 0, 1])
        let upd = try MV.f32([3, 2], [10, 20, 30, 40, 1, 2])
        let y = try MV.run1("ScatterND", [data, idx, upd], c.0 == "none" ? [:] : ["reduction": .string(c.0)], opset: 18)
        #expect(y.shape == [2, 2, 2])
        #expect(MV.floats(y) == c.1)
        #expect(MV.floats(data) == (1...8).map { Float($0) })
    }

    @Test func scatterNDIntegersNegativeIndexAndStrings() throws {
        let data = try MV.i64([4], [1, 2, 3, 4])
        let y = try MV.run1("ScatterND", [data, MV.i64([2, 1], [-1, 0]), MV.i64([2], [10, 20])], ["reduction": .string("add")], opset: 16)
        #expect(MV.ints(y) == [21, 2, 3, 14])
        let s = try MV.run1("ScatterND", [MV.str([2, 2], ["a", "b", "c", "d"]), MV.i64([1, 1], [1]), MV.str([1, 2], ["x", "y"])])
        #expect(s.storage.strings == ["a", "b", "x", "y"])
        let f16 = try Tensor(.float16, shape: [2], values: [Float16(1.5).bitPattern, Float16(2).bitPattern])
        let u16 = try Tensor(.float16, shape: [1], values: [Float16(3).bitPattern])
        let h = try MV.run1("ScatterND", [f16, MV.i64([1, 1], [1]), u16], ["reduction": .string("mul")], opset: 18)
        #expect(h.toArray(UInt16.self) == [Float16(1.5).bitPattern, Float16(6).bitPattern])
    }

    @Test func scatterNDBadInput() throws {
        let data = try MV.iota([2, 2])
        #expect(MV.fails("ScatterND", [data, try MV.i64([1, 1], [2]), try MV.f32([1, 2], [0, 0])]))
        #expect(MV.fails("ScatterND", [data, try MV.i64([1, 1], [-3]), try MV.f32([1, 2], [0, 0])]))
        #expect(MV.fails("ScatterND", [data, try MV.i64([1, 3], [0, 0, 0]), try MV.f32([1], [0])]))
        #expect(MV.fails("ScatterND", [data, try MV.i64([1, 1], [0]), try MV.f32([1, 3], [0, 0, 0])]))
        #expect(MV.fails("ScatterND", [data, try MV.i64([1, 1], [0]), try MV.f32([1, 2], [0, 0])],
                         ["reduction": .string("max")], opset: 16))
    }
}

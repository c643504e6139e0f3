import ONNXGraph
import Testing
@testable import Ops

// Expected shapes are numpy's x.size and x.reshape(prod(shape[:axis]), -1), derived by hand.

@Suite("Extra ops: Size, Flatten")
struct ExtraShapeTests {
    @Test(arguments: [([2, 3, 4], 24), ([], 1), ([5, 0, 7], 0), ([1], 1)])
    func size(shape: [Int], count: Int) throws {
        let y = try XT.run("Size", [Tensor(allocating: .uint16, shape: shape)], opset: 13)
        #expect(y.dataType == .int64)
        #expect(y.shape == [])
        #expect(y.toArray(Int64.self) == [Int64(count)])
    }

    @Test func sizeOfStringsAndInference() throws {
        let y = try XT.run("Size", [Tensor(strings: ["a", "b", "c"], shape: [3, 1])], opset: 1)
        #expect(y.toArray(Int64.self) == [3])
        #expect(try XT.infer("Size", [TensorType(.string, nil)], opset: 21) == [TensorType(.int64, shape: [])])
        #expect(throws: OpError.self) { try XT.run("Size", [], opset: 21) }
    }

    @Test(arguments: [(0, [1, 120]), (1, [2, 60]), (2, [6, 20]), (3, [24, 5]), (4, [120, 1]),
                      (-1, [24, 5]), (-2, [6, 20]), (-4, [1, 120])])
    func flatten(axis: Int, expected: [Int]) throws {
        let x = try XT.f32([2, 3, 4, 5], (0..<120).map(Float.init))
        let y = try XT.run("Flatten", [x], opset: 13, ["axis": .int(axis)])
        #expect(y.shape == expected)
        #expect(y.toArray(Float.self) == x.toArray(Float.self))
        // A view: same storage, no copy.
        #expect(y.elements(Float.self) == x.elements(Float.self))
    }

    @Test func flattenDefaultsAndOtherTypes() throws {
        let x = try Tensor(strings: ["a", "b", "c", "d", "e", "f"], shape: [3, 2, 1])
        let y = try XT.run("Flatten", [x], opset: 9)
        #expect(y.shape == [3, 2])
        #expect(y.storage.strings == ["a", "b", "c", "d", "e", "f"])
        let e = try XT.run("Flatten", [Tensor(allocating: .bool, shape: [2, 0, 3])], opset: 25, ["axis": .int(2)])
        #expect(e.shape == [0, 3])
        // A scalar flattens only at axis 0.
        let s = try XT.run("Flatten", [XT.f32([], [7])], opset: 13, ["axis": .int(0)])
        #expect(s.shape == [1, 1])
    }

    @Test func flattenBadAxis() throws {
        let x = try XT.f32([2, 3], [1, 2, 3, 4, 5, 6])
        #expect(throws: OpError.self) { try XT.run("Flatten", [x], opset: 13, ["axis": .int(3)]) }
        #expect(throws: OpError.self) { try XT.run("Flatten", [x], opset: 13, ["axis": .int(-3)]) }
        // Negative axes from opset 11 only.
        #expect(throws: OpError.self) { try XT.run("Flatten", [x], opset: 9, ["axis": .int(-1)]) }
        #expect(throws: OpError.self) { try XT.run("Flatten", [XT.f32([], [1])], opset: 13) }
        #expect(throws: OpError.self) { try XT.run("Flatten", [x], opset: 13, ["axis": .float(1)]) }
    }

    @Test func flattenInference() throws {
        let t = TensorType(.float, [.symbol("n"), .value(3), .value(4)])
        #expect(try XT.infer("Flatten", [t], opset: 13) == [TensorType(.float, [.symbol("n"), .value(12)])])
        #expect(try XT.infer("Flatten", [t], opset: 13, ["axis": .int(-1)]) == [TensorType(.float, [.unknown, .value(4)])])
        #expect(try XT.infer("Flatten", [t], opset: 13, ["axis": .int(0)]) == [TensorType(.float, [.value(1), .unknown])])
        #expect(try XT.infer("Flatten", [TensorType(.int8, nil)], opset: 13) == [TensorType(.int8, [.unknown, .unknown])])
        #expect(throws: OpError.self) { try XT.infer("Flatten", [t], opset: 13, ["axis": .int(4)]) }
    }
}

import Testing

@testable import ONNXGraph

/// A padded float tensor of logical `shape` and `capacity` rows per slab whose valid element
/// [i..., r, c] holds its dense row-major index; spare rows hold -1.
func paddedIota(_ shape: [Int], capacity: Int) throws -> Tensor {
    let t = try Tensor(allocating: .float, shape: shape, rowCapacity: capacity)
    let rows = shape[shape.count - 2], cols = shape[shape.count - 1]
    let p = t.elements(Float.self)
    for s in 0..<t.slabCount {
        for r in 0..<capacity {
            for c in 0..<cols {
                p[s * capacity * cols + r * cols + c] = r < rows ? Float((s * rows + r) * cols + c) : -1
            }
        }
    }
    return t
}

@Suite struct PaddedTensorTests {
    @Test func layoutAndCounts() throws {
        let t = try paddedIota([2, 3, 2, 4], capacity: 5)
        #expect(!t.isDense && t.isPadded)
        #expect(t.rowCapacity == 5 && t.slabPitch == 20 && t.slabCount == 6)
        #expect(t.count == 48 && t.byteCount == 48 * 4)
        #expect(t.storage.byteCount == 6 * 5 * 4 * 4)
        #expect(t.storage.appendedRows == 2)
        #expect(t.toArray(Float.self) == (0..<48).map(Float.init))
        let d = try t.densified()
        #expect(d.isDense && d.shape == t.shape && d.storage !== t.storage)
        #expect(d.toArray(Float.self) == (0..<48).map(Float.init))
    }

    @Test func denseTensorsAreTheirOwnDenseForm() throws {
        let t = try Tensor(.float, shape: [2, 3], values: [Float](repeating: 1, count: 6))
        #expect(t.isDense && !t.isPadded && t.rowCapacity == 2 && t.slabPitch == 6 && t.slabCount == 1)
        #expect(try t.densified().storage === t.storage)
        #expect(t.appendingRows(1) == nil)
        #expect(t.storage.appendedRows == -1)
        let v = try Tensor(.float, shape: [3], values: [Float](repeating: 1, count: 3))
        #expect(v.isDense && v.rowCapacity == 0 && v.slabPitch == 3)
    }

    @Test func reshapingAPaddedTensorCopiesInsteadOfReinterpreting() throws {
        let t = try paddedIota([2, 2, 3], capacity: 4)
        let r = try t.reshaped([12])
        #expect(r.isDense && r.storage !== t.storage)
        #expect(r.toArray(Float.self) == (0..<12).map(Float.init))
    }

    @Test func appendingClaimsSpareRowsOnce() throws {
        let t = try paddedIota([2, 1, 3], capacity: 4)
        let grown = try #require(t.appendingRows(2))
        #expect(grown.storage === t.storage && grown.shape == [2, 3, 3] && grown.rowCapacity == 4)
        #expect(grown.count == 18 && t.storage.appendedRows == 3)
        // The older view stays as it was; it may not append again (its rows past 1 belong to `grown`).
        #expect(t.shape == [2, 1, 3] && t.appendingRows(1) == nil)
        #expect(grown.appendingRows(2) == nil)  // only 1 spare row left
        let last = try #require(grown.appendingRows(1))
        #expect(last.isDense && last.isPadded && last.rowCapacity == 4 && last.storage === t.storage)
    }

    @Test func paddedCopyKeepsValidRowsOnly() throws {
        let t = try paddedIota([3, 2, 2], capacity: 3)
        let wider = try t.padded(rowCapacity: 8)
        #expect(wider.storage !== t.storage && wider.rowCapacity == 8 && wider.storage.appendedRows == 2)
        #expect(wider.toArray(Float.self) == t.toArray(Float.self))
        let p = wider.elements(Float.self)
        #expect(p[8 * 2] == 4 && p[8 * 2 + 1] == 5)  // slab 1 starts one pitch (8 rows × 2) in
    }

    @Test func invalidPaddedShapesThrow() {
        #expect(throws: GraphError.self) { try Tensor(allocating: .float, shape: [4], rowCapacity: 8) }
        #expect(throws: GraphError.self) { try Tensor(allocating: .float, shape: [2, 4, 3], rowCapacity: 3) }
        #expect(throws: GraphError.self) { try Tensor(allocating: .string, shape: [2, 2], rowCapacity: 3) }
        #expect(throws: GraphError.self) { try Tensor(allocating: .float, shape: [Int.max / 2, 1, 1], rowCapacity: 4) }
    }

    @Test func emptyPaddedTensors() throws {
        let t = try Tensor(allocating: .float, shape: [2, 4, 0, 3], rowCapacity: 2)
        #expect(t.count == 0 && !t.isDense && t.toArray(Float.self).isEmpty)
        let one = try #require(t.appendingRows(1))
        #expect(one.shape == [2, 4, 1, 3] && one.count == 24)
    }
}

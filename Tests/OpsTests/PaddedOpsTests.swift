import ONNXGraph
import Testing

@testable import Ops

/// Padded inputs (KV caches, `Tensor.isDense == false`): the ops that accept them must give
/// exactly (bit for bit) what they give on the dense form, and Concat must append in place.
enum Padded {
    /// Deterministic floats in [-1, 1) from a 32-bit LCG.
    static func values(_ n: Int, seed: UInt32) -> [Float] {
        var x = seed
        return (0..<n).map { _ in
            x = x &* 1_664_525 &+ 1_013_904_223
            return Float(x >> 8) / Float(1 << 23) - 1
        }
    }

    /// A padded float tensor of `shape` with `capacity` rows per slab holding `values(count, seed)`
    /// in its valid rows and NaN in the spare ones (so reading padding shows).
    static func tensor(_ shape: [Int], capacity: Int, seed: UInt32) throws -> Tensor {
        let dense = try Tensor(.float, shape: shape, values: values(shape.reduce(1, *), seed: seed))
        let t = try dense.padded(rowCapacity: capacity)
        let rows = shape[shape.count - 2], cols = shape[shape.count - 1]
        for s in 0..<t.slabCount {
            for i in rows * cols..<capacity * cols { t.elements(Float.self)[s * t.slabPitch + i] = .nan }
        }
        return t
    }

    static func bits(_ t: Tensor) -> [UInt32] { t.toArray(Float.self).map(\.bitPattern) }
}

@Suite struct PaddedConcatTests {
    @Test func appendsInPlaceAlongTheRowAxis() throws {
        let past = try Padded.tensor([2, 3, 4, 5], capacity: 8, seed: 1)
        let new = try MV.f32([2, 3, 1, 5], Padded.values(30, seed: 2))
        let y = try MV.run1("Concat", [past, new], ["axis": .int(-2)], opset: 13)
        let reference = try MV.run1("Concat", [past.densified(), new], ["axis": .int(-2)], opset: 13)
        #expect(y.storage === past.storage && !y.isDense && y.shape == [2, 3, 5, 5] && y.rowCapacity == 8)
        #expect(Padded.bits(y) == Padded.bits(reference))
        #expect(reference.isDense)
        // The past view is unchanged.
        #expect(try past.shape == [2, 3, 4, 5] && Padded.bits(past) == Padded.bits(past.densified()))
    }

    @Test func aSecondAppendFromTheSameViewCopies() throws {
        let past = try Padded.tensor([1, 2, 3, 4], capacity: 6, seed: 3)
        let a = try MV.f32([1, 2, 1, 4], Padded.values(8, seed: 4))
        let b = try MV.f32([1, 2, 2, 4], Padded.values(16, seed: 5))
        let first = try MV.run1("Concat", [past, a], ["axis": .int(2)])
        let firstBits = Padded.bits(first)
        let second = try MV.run1("Concat", [past, b], ["axis": .int(2)])
        #expect(first.storage === past.storage)
        #expect(second.storage !== past.storage && !second.isDense && second.rowCapacity == 6)
        #expect(Padded.bits(second) == Padded.bits(try MV.run1("Concat", [past.densified(), b], ["axis": .int(2)])))
        #expect(Padded.bits(first) == firstBits)  // rows the first append wrote were not overwritten
        // The copy can itself be appended to in place.
        let third = try MV.run1("Concat", [second, a], ["axis": .int(2)])
        #expect(third.storage === second.storage && third.shape == [1, 2, 6, 4])
    }

    @Test func fullCapacityDoublesOnce() throws {
        let past = try Padded.tensor([2, 2, 3, 4], capacity: 4, seed: 6)
        let new = try MV.f32([2, 2, 2, 4], Padded.values(32, seed: 7))
        let y = try MV.run1("Concat", [past, new], ["axis": .int(-2)], opset: 13)
        #expect(y.storage !== past.storage && y.rowCapacity == 8 && y.shape == [2, 2, 5, 4])
        #expect(y.storage.appendedRows == 5)
        #expect(Padded.bits(y) == Padded.bits(try MV.run1("Concat", [past.densified(), new], ["axis": .int(-2)], opset: 13)))
        // An append exactly filling the capacity stays in place.
        let three = try MV.f32([2, 2, 3, 4], Padded.values(48, seed: 8))
        let full = try MV.run1("Concat", [y, three], ["axis": .int(-2)], opset: 13)
        #expect(full.storage === y.storage && full.isDense && full.isPadded && full.shape == [2, 2, 8, 4])
        // A full padded input regrows (doubles) instead of falling back to a plain dense copy.
        let more = try MV.run1("Concat", [full, new], ["axis": .int(-2)], opset: 13)
        #expect(more.isPadded && more.rowCapacity == 16 && more.shape == [2, 2, 10, 4])
        #expect(Padded.bits(more) == Padded.bits(try MV.run1("Concat", [full.densified(), new], ["axis": .int(-2)], opset: 13)))
    }

    @Test func paddedInputsOnOtherAxesOrPositionsGiveDenseResults() throws {
        let p = try Padded.tensor([2, 3, 4], capacity: 6, seed: 9)
        let q = try Padded.tensor([2, 3, 4], capacity: 5, seed: 10)
        for axis in [0, 1, 2] {
            let y = try MV.run1("Concat", [p, q], ["axis": .int(axis)])
            let reference = try MV.run1("Concat", [p.densified(), q.densified()], ["axis": .int(axis)])
            #expect(Padded.bits(y) == Padded.bits(reference), "axis \(axis)")
            #expect(axis == 1 ? y.isPadded : !y.isPadded, "axis \(axis)")
        }
        // Dense input 0, padded input 1 along the row axis: a dense result.
        let d = try MV.f32([2, 1, 4], Padded.values(8, seed: 11))
        let y = try MV.run1("Concat", [d, p], ["axis": .int(1)])
        #expect(try y.isDense && Padded.bits(y) == Padded.bits(MV.run1("Concat", [d, p.densified()], ["axis": .int(1)])))
    }
}

@Suite struct PaddedReadersTests {
    @Test(arguments: [[0, 1, 3, 2], [0, 2, 1, 3], [3, 2, 1, 0], [0, 1, 2, 3], [1, 0, 2, 3]])
    func transposeReadsThroughTheSlabPitch(_ perm: [Int]) throws {
        let x = try Padded.tensor([2, 3, 5, 4], capacity: 9, seed: 12)
        let y = try MV.run1("Transpose", [x], ["perm": .ints(perm)])
        let reference = try MV.run1("Transpose", [x.densified()], ["perm": .ints(perm)])
        #expect(y.isDense && y.shape == reference.shape && Padded.bits(y) == Padded.bits(reference))
    }

    @Test func transposeOfRankThreeAndTwo() throws {
        let x = try Padded.tensor([3, 2, 4], capacity: 3, seed: 13)
        #expect(Padded.bits(try MV.run1("Transpose", [x], ["perm": .ints([0, 2, 1])]))
                == Padded.bits(try MV.run1("Transpose", [x.densified()], ["perm": .ints([0, 2, 1])])))
        let m = try Padded.tensor([3, 4], capacity: 7, seed: 14)
        #expect(Padded.bits(try MV.run1("Transpose", [m], [:])) == Padded.bits(try MV.run1("Transpose", [m.densified()], [:])))
    }

    /// Attention: probs [b, h, 1, T] × V [b, h, T, d] (V padded), and Q [b, h, 1, d] × K^T.
    @Test func matMulWithAPaddedBMatchesDenseBitForBit() throws {
        let v = try Padded.tensor([2, 3, 7, 16], capacity: 12, seed: 15)
        let probs = try MV.f32([2, 3, 1, 7], Padded.values(42, seed: 16))
        let y = try MV.run1("MatMul", [probs, v], opset: 13)
        let reference = try MV.run1("MatMul", [probs, v.densified()], opset: 13)
        #expect(y.shape == [2, 3, 1, 16] && Padded.bits(y) == Padded.bits(reference))
        // Several query rows, and a broadcast A.
        let a = try MV.f32([3, 5, 7], Padded.values(105, seed: 17))
        #expect(Padded.bits(try MV.run1("MatMul", [a, v], opset: 13))
                == Padded.bits(try MV.run1("MatMul", [a, v.densified()], opset: 13)))
    }

    @Test func matMulWithAPaddedAMatchesDenseBitForBit() throws {
        let a = try Padded.tensor([2, 3, 5, 8], capacity: 6, seed: 18)
        let b = try MV.f32([2, 3, 8, 4], Padded.values(192, seed: 19))
        #expect(Padded.bits(try MV.run1("MatMul", [a, b], opset: 13))
                == Padded.bits(try MV.run1("MatMul", [a.densified(), b], opset: 13)))
        // Both padded, B broadcast over the heads.
        let shared = try Padded.tensor([2, 1, 8, 4], capacity: 10, seed: 20)
        #expect(Padded.bits(try MV.run1("MatMul", [a, shared], opset: 13))
                == Padded.bits(try MV.run1("MatMul", [a.densified(), shared.densified()], opset: 13)))
    }

    /// A padded A times a 2-D B runs one GEMM per slab where the dense form runs one for all rows:
    /// the same products, so equal within float rounding of a different tiling (1e-6 relative).
    @Test func matMulWithAPaddedAAndA2DB() throws {
        let a = try Padded.tensor([2, 3, 5, 8], capacity: 6, seed: 21)
        let b = try MV.f32([8, 12], Padded.values(96, seed: 22))
        let y = try MV.run1("MatMul", [a, b], opset: 13).toArray(Float.self)
        let reference = try MV.run1("MatMul", [a.densified(), b], opset: 13).toArray(Float.self)
        #expect(y.count == reference.count)
        for (g, r) in zip(y, reference) { #expect(abs(g - r) <= 1e-6 * max(1, abs(r))) }
    }

    @Test func matMulOfOtherTypesUsesDenseCopies() throws {
        let dense = try Tensor(.double, shape: [2, 3, 2], values: (0..<12).map(Double.init))
        let padded = try dense.padded(rowCapacity: 5)
        let b = try Tensor(.double, shape: [2, 2, 3], values: (0..<12).map { Double($0) / 2 })
        #expect(try MV.run1("MatMul", [padded, b], opset: 13).toArray(Double.self)
                == MV.run1("MatMul", [dense, b], opset: 13).toArray(Double.self))
    }

    @Test func shapeAndIdentityKeepTheLogicalView() throws {
        let x = try Padded.tensor([2, 3, 4, 5], capacity: 7, seed: 23)
        #expect(try MV.run1("Shape", [x]).toArray(Int64.self) == [2, 3, 4, 5])
        let y = try MV.run1("Identity", [x])
        #expect(y.storage === x.storage && !y.isDense && y.shape == x.shape)
    }

    /// An op that does not declare padded support (Relu, Reshape) gets a dense copy.
    @Test func otherOpsSeeDenseInputs() throws {
        let x = try Padded.tensor([2, 2, 3, 4], capacity: 5, seed: 24)
        #expect(!Relu.acceptsPaddedInputs && Concat.acceptsPaddedInputs && MatMul.acceptsPaddedInputs)
        let relu = try MV.run1("Relu", [x])
        #expect(relu.isDense && relu.toArray(Float.self) == x.toArray(Float.self).map { max($0, 0) })
        let flat = try MV.run1("Reshape", [x, MV.vec([-1])])
        #expect(flat.isDense && Padded.bits(flat) == Padded.bits(x))
    }
}

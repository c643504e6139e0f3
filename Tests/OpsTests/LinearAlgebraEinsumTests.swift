import ONNXGraph
import Ops
import Testing

private typealias V = LinearAlgebraValues

private func einsum(_ equation: String, _ inputs: [Tensor], opset: Int = 12) throws -> Tensor {
    let node = Node(opType: "Einsum", inputs: inputs.indices.map { "x\($0)" }, outputs: ["y"],
                    attributes: ["equation": .string(equation)])
    return try OpRegistry.standard.makeOperator(node, opset: opset).evaluate(inputs, outputCount: 1)[0]
}

private func f32(_ shape: [Int], _ values: [Double]) throws -> Tensor {
    try Tensor(.float, shape: shape, values: values.map { Float($0) })
}

private func asDoubles(_ t: Tensor) -> [Double] {
    switch t.dataType {
    case .float: t.toArray(Float.self).map(Double.init)
    case .double: t.toArray(Double.self)
    case .int32: t.toArray(Int32.self).map(Double.init)
    case .int64: t.toArray(Int64.self).map(Double.init)
    default: []
    }
}

/// Operands are small integers, so every result is exact in float.
@Suite struct LinearAlgebraEinsumTests {
    @Test func matmulExplicitAndSpaces() throws {
        let a = try f32(V.ein_mm_aShape, V.ein_mm_a), b = try f32(V.ein_mm_bShape, V.ein_mm_b)
        for eq in ["ij,jk->ik", " ij , jk -> ik ", "ij,jk"] {
            let y = try einsum(eq, [a, b])
            #expect(y.shape == V.ein_mm_yShape)
            #expect(asDoubles(y) == V.ein_mm_y, "\(eq)")
        }
    }

    @Test func diagonalAndTrace() throws {
        let s = try f32(V.ein_diag_aShape, V.ein_diag_a)
        #expect(asDoubles(try einsum("ii->i", [s])) == V.ein_diag_y)
        let t = try einsum("ii", [s])
        #expect(t.shape == [])
        #expect(asDoubles(t) == V.ein_diag_t)
    }

    @Test func implicitOutputIsSortedSingletons() throws {
        let y = try einsum("bij,bkj", [try f32(V.ein_bt_aShape, V.ein_bt_a), try f32(V.ein_bt_bShape, V.ein_bt_b)])
        #expect(y.shape == V.ein_bt_yShape)
        #expect(asDoubles(y) == V.ein_bt_y)
    }

    @Test func ellipsisBroadcasts() throws {
        let y = try einsum("...ij,...jk->...ik", [try f32(V.ein_ell_aShape, V.ein_ell_a), try f32(V.ein_ell_bShape, V.ein_ell_b)])
        #expect(y.shape == V.ein_ell_yShape)
        #expect(asDoubles(y) == V.ein_ell_y)
    }

    @Test func threeOperandsInt32() throws {
        let a = try Tensor(.int32, shape: V.ein_three_aShape, values: V.ein_three_a.map { Int32($0) })
        let b = try Tensor(.int32, shape: V.ein_three_bShape, values: V.ein_three_b.map { Int32($0) })
        let c = try Tensor(.int32, shape: V.ein_three_cShape, values: V.ein_three_c.map { Int32($0) })
        let y = try einsum("ij,jk,k->i", [a, b, c])
        #expect(y.dataType == .int32)
        #expect(asDoubles(y) == V.ein_three_y.map(Double.init))
    }

    @Test func repeatedLabelReductionInt64() throws {
        let r = try Tensor(.int64, shape: V.ein_red_aShape, values: V.ein_red_a)
        let y = try einsum("abbc->ca", [r], opset: 28)
        #expect(y.shape == V.ein_red_yShape)
        #expect(y.toArray(Int64.self) == V.ein_red_y)
        #expect(try einsum("abcd->", [r]).toArray(Int64.self) == V.ein_red_t)
    }

    @Test func sizeOneDimsBroadcastDouble() throws {
        let a = try Tensor(.double, shape: V.ein_bc_aShape, values: V.ein_bc_a)
        let b = try Tensor(.double, shape: V.ein_bc_bShape, values: V.ein_bc_b)
        let y = try einsum("ij,ij->ij", [a, b])
        #expect(y.shape == V.ein_bc_yShape)
        #expect(y.toArray(Double.self) == V.ein_bc_y)
    }

    @Test func float16ViaFloat() throws {
        let a = try Tensor(.float16, shape: [2, 2], values: [1, 2, 3, 4].map { FloatFormats.floatToFloat16($0) })
        let y = try einsum("ij->j", [a])
        #expect(y.toArray(UInt16.self).map(FloatFormats.float16ToFloat) == [4, 6])
    }

    @Test(arguments: ["ij,jk->iq", "ij->ii", "i.j->ij", "...i...->i", "ij,jk->ik,", "i$->i"])
    func malformedEquationsThrow(_ eq: String) throws {
        let a = try f32([2, 2], [1, 2, 3, 4])
        #expect(throws: OpError.self) { try einsum(eq, [a, a]) }
    }

    @Test func mismatchedShapesThrow() throws {
        #expect(throws: OpError.self) { try einsum("ij,jk->ik", [try f32([2, 3], Array(repeating: 1, count: 6)), try f32([4, 2], Array(repeating: 1, count: 8))]) }
        #expect(throws: OpError.self) { try einsum("ijk->i", [try f32([2, 3], Array(repeating: 1, count: 6))]) }
        #expect(throws: OpError.self) { try einsum("...ij->ij", [try f32([2, 3, 4], Array(repeating: 1, count: 24))]) }
    }
}

@Suite struct LinearAlgebraEinsumInferenceTests {
    @Test func inferTypesFromRanks() throws {
        let node = NodeAttributes(Node(opType: "Einsum", inputs: ["a", "b"], outputs: ["y"],
                                       attributes: ["equation": .string("...ij,jk")]), opset: 12)
        let op = try Einsum(node)
        let t = try op.inferTypes([TensorType(.float, [.symbol("b"), .value(3), .value(4)]),
                                   TensorType(.float, [.value(4), .value(5)])], node)
        #expect(t == [TensorType(.float, [.symbol("b"), .value(3), .value(5)])])
    }
}

extension LinearAlgebraEinsumTests {
    /// Labels used by one operand only are summed first: `i,j->` over 2^20 × 2^20 runs in linear time.
    @Test func singleOperandLabelsArePreReduced() throws {
        let a = try Tensor(.float, shape: [1 << 20], values: [Float](repeating: 1, count: 1 << 20))
        let b = try Tensor(.float, shape: [1 << 20], values: [Float](repeating: 0.5, count: 1 << 20))
        #expect(try einsum("i,j->", [a, b]).toArray(Float.self) == [Float(1 << 20) * Float(1 << 19)])
        let c = try f32([2, 3], [1, 2, 3, 4, 5, 6]), d = try f32([3, 2], [1, 1, 1, 1, 1, 1])
        // Σ_j c[i,j] · Σ_k d[m,k] with a diagonal kept: "ij,mk->im".
        #expect(try einsum("ij,mk->im", [c, d]).toArray(Float.self) == [12, 12, 12, 30, 30, 30])
    }

    /// A 2^40-element output (or a loop past 2^36 steps) is an error, not a hang or a crash.
    @Test func hugeIterationSpaceThrows() throws {
        let big = try Tensor(allocating: .float, shape: [1 << 20], zeroed: true)
        #expect(throws: OpError.self) { try einsum("i,j->ij", [big, big]) }
    }
}

extension LinearAlgebraEinsumTests {
    /// An ellipsis covering more dims than there are letters still works (labels past 104).
    @Test func highRankEllipsis() throws {
        let shape = [Int](repeating: 1, count: 60) + [2]
        let a = try Tensor(.float, shape: shape, values: [Float(3), 4])
        let y = try einsum("...i->...", [a])
        #expect(y.shape == [Int](repeating: 1, count: 60))
        #expect(y.toArray(Float.self) == [7])
    }
}

extension LinearAlgebraEinsumTests {
    /// The batched-GEMM route for two operands against the direct loop (a third all-ones operand
    /// keeps the equation off that route), on small integers so both are exact.
    @Test(arguments: [DataType.float, .int64])
    func pairContractionMatchesDirectLoop(_ type: DataType) throws {
        var state: UInt64 = 12345
        func next() -> Int64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int64((state >> 33) % 7) - 3
        }
        func make(_ shape: [Int]) throws -> Tensor {
            let n = shape.reduce(1, *)
            let v = (0..<n).map { _ in next() }
            return type == .float ? try Tensor(.float, shape: shape, values: v.map { Float($0) })
                : try Tensor(.int64, shape: shape, values: v)
        }
        let x = try make([3, 17, 33, 2]), y = try make([20, 33, 3, 2])
        let ones = type == .float ? try Tensor(.float, shape: [2], values: [Float(1), 1]) : try Tensor(.int64, shape: [2], values: [Int64(1), 1])
        for (fast, direct) in [("bijc,kjbc->kbi", "bijc,kjbc,c->kbi"), ("bijc,kjbc->bikc", "bijc,kjbc,c->bikc")] {
            let a = try einsum(fast, [x, y]), b = try einsum(direct, [x, y, ones])
            #expect(a.shape == b.shape)
            if type == .float { #expect(a.toArray(Float.self) == b.toArray(Float.self), "\(fast)") }
            else { #expect(a.toArray(Int64.self) == b.toArray(Int64.self), "\(fast)") }
        }
    }
}

import Kernels
import ONNXGraph
import Ops
import Testing

private typealias V = LinearAlgebraValues

private func tensor(_ type: DataType, _ shape: [Int], _ values: [Double]) throws -> Tensor {
    switch type {
    case .float: try Tensor(.float, shape: shape, values: values.map { Float($0) })
    case .double: try Tensor(.double, shape: shape, values: values)
    case .float16: try Tensor(.float16, shape: shape, values: values.map { FloatFormats.floatToFloat16(Float($0)) })
    case .bfloat16: try Tensor(.bfloat16, shape: shape, values: values.map { FloatFormats.floatToBfloat16(Float($0)) })
    default: fatalError("test helper: \(type)")
    }
}

private func itensor(_ type: DataType, _ shape: [Int], _ values: [Int64]) throws -> Tensor {
    switch type {
    case .int64: try Tensor(.int64, shape: shape, values: values)
    case .int32: try Tensor(.int32, shape: shape, values: values.map { Int32($0) })
    case .uint32: try Tensor(.uint32, shape: shape, values: values.map { UInt32(truncatingIfNeeded: $0) })
    case .uint64: try Tensor(.uint64, shape: shape, values: values.map { UInt64(truncatingIfNeeded: $0) })
    case .int8: try Tensor(.int8, shape: shape, values: values.map { Int8($0) })
    case .uint8: try Tensor(.uint8, shape: shape, values: values.map { UInt8($0) })
    default: fatalError("test helper: \(type)")
    }
}

private func makeOp(_ type: String, inputs: Int, opset: Int = 13, _ attrs: [String: AttributeValue] = [:]) throws -> any Operator {
    let node = Node(opType: type, inputs: (0..<inputs).map { "x\($0)" }, outputs: ["y"], attributes: attrs)
    return try OpRegistry.standard.makeOperator(node, opset: opset)
}

private func floats(_ t: Tensor) -> [Double] {
    switch t.dataType {
    case .float: t.toArray(Float.self).map(Double.init)
    case .double: t.toArray(Double.self)
    case .float16: t.toArray(UInt16.self).map { Double(FloatFormats.float16ToFloat($0)) }
    case .bfloat16: t.toArray(UInt16.self).map { Double(FloatFormats.bfloat16ToFloat($0)) }
    default: []
    }
}

/// |got − want| ≤ tol·(1 + |want|) elementwise.
private func close(_ got: [Double], _ want: [Double], _ tol: Double = 1e-5) -> Bool {
    got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= tol * (1 + abs($1)) }
}

@Suite struct LinearAlgebraMatMulTests {
    @Test(arguments: [
        (V.mmBroadcast_a, V.mmBroadcast_aShape, V.mmBroadcast_b, V.mmBroadcast_bShape, V.mmBroadcast_y, V.mmBroadcast_yShape),
        (V.mmFold_a, V.mmFold_aShape, V.mmFold_b, V.mmFold_bShape, V.mmFold_y, V.mmFold_yShape),
        (V.mmVecLeft_a, V.mmVecLeft_aShape, V.mmVecLeft_b, V.mmVecLeft_bShape, V.mmVecLeft_y, V.mmVecLeft_yShape),
        (V.mmVecRight_a, V.mmVecRight_aShape, V.mmVecRight_b, V.mmVecRight_bShape, V.mmVecRight_y, V.mmVecRight_yShape),
    ])
    func floatMatchesNumpy(_ c: ([Double], [Int], [Double], [Int], [Double], [Int])) throws {
        for type in [DataType.float, .double] {
            let op = try makeOp("MatMul", inputs: 2)
            let y = try op.evaluate([try tensor(type, c.1, c.0), try tensor(type, c.3, c.2)], outputCount: 1)[0]
            #expect(y.shape == c.5)
            #expect(y.dataType == type)
            #expect(close(floats(y), c.4))
        }
    }

    @Test func prepackedBMatchesUnpacked() throws {
        let op = try #require(try makeOp("MatMul", inputs: 2) as? MatMul)
        let b = try tensor(.float, V.mmFold_bShape, V.mmFold_b)
        let packed = try op.prepacking(b: b)
        #expect(packed.prepackedB != nil)
        let a = try tensor(.float, V.mmFold_aShape, V.mmFold_a)
        let y1 = try packed.evaluate([a, nil], outputCount: 1)[0]
        let y2 = try packed.evaluate([a, b], outputCount: 1)[0]
        #expect(close(floats(y1), V.mmFold_y))
        #expect(floats(y1) == floats(y2))
        // A B of another shape is rejected rather than silently using the packed one.
        #expect(throws: OpError.self) { try packed.evaluate([a, try tensor(.float, [4, 6], Array(repeating: 0, count: 24))], outputCount: 1) }
    }

    @Test(arguments: [DataType.int64, .int32])
    func integersMatchNumpy(_ type: DataType) throws {
        let op = try makeOp("MatMul", inputs: 2)
        let y = try op.evaluate([try itensor(type, V.mmInt_aShape, V.mmInt_a), try itensor(type, V.mmInt_bShape, V.mmInt_b)],
                                outputCount: 1)[0]
        #expect(y.shape == V.mmInt_yShape)
        let got: [Int64] = type == .int64 ? y.toArray(Int64.self) : y.toArray(Int32.self).map(Int64.init)
        #expect(got == V.mmInt_y)
    }

    @Test func unsignedWraps() throws {
        let op = try makeOp("MatMul", inputs: 2)
        let a = try Tensor(.uint32, shape: [1, 2], values: [UInt32.max, 2])
        let b = try Tensor(.uint32, shape: [2, 1], values: [UInt32(3), 5])
        let y = try op.evaluate([a, b], outputCount: 1)[0]
        #expect(y.toArray(UInt32.self) == [UInt32.max &* 3 &+ 10])
    }

    @Test(arguments: [DataType.float16, .bfloat16])
    func halfTypesComputeInFloat(_ type: DataType) throws {
        let op = try makeOp("MatMul", inputs: 2)
        let y = try op.evaluate([try tensor(type, V.mmHalf_aShape, V.mmHalf_a), try tensor(type, V.mmHalf_bShape, V.mmHalf_b)],
                                outputCount: 1)[0]
        #expect(y.dataType == type)
        // float16 inputs are exact here; bfloat16 rounds the inputs too (8-bit mantissa).
        #expect(close(floats(y), V.mmHalf_y, type == .float16 ? 1e-3 : 3e-2))
    }

    @Test func shapeErrorsThrow() throws {
        let op = try makeOp("MatMul", inputs: 2)
        let a = try tensor(.float, [2, 3], Array(repeating: 1, count: 6)), b = try tensor(.float, [4, 2], Array(repeating: 1, count: 8))
        #expect(throws: OpError.self) { try op.evaluate([a, b], outputCount: 1) }
        let c = try tensor(.float, [2, 3, 4], Array(repeating: 1, count: 24)), d = try tensor(.float, [3, 4, 5], Array(repeating: 1, count: 60))
        #expect(throws: OpError.self) { try op.evaluate([c, d], outputCount: 1) }
    }

    @Test func emptyKGivesZeros() throws {
        let op = try makeOp("MatMul", inputs: 2)
        let y = try op.evaluate([try tensor(.float, [2, 0], []), try tensor(.float, [0, 3], [])], outputCount: 1)[0]
        #expect(y.shape == [2, 3])
        #expect(y.toArray(Float.self) == Array(repeating: 0, count: 6))
    }

    @Test func inferTypes() throws {
        let node = NodeAttributes(Node(opType: "MatMul", inputs: ["a", "b"], outputs: ["y"]), opset: 13)
        let op = try MatMul(node)
        let t = try op.inferTypes([TensorType(.float, [.symbol("batch"), .value(1), .value(3), .value(4)]),
                                   TensorType(.float, [.value(5), .value(4), .value(6)])], node)
        #expect(t == [TensorType(.float, [.symbol("batch"), .value(5), .value(3), .value(6)])])
        let v = try op.inferTypes([TensorType(.float, [.value(4)]), TensorType(.float, [.value(4), .value(6)])], node)
        #expect(v == [TensorType(.float, [.value(6)])])
        #expect(throws: OpError.self) {
            try op.inferTypes([TensorType(.float, [.value(3), .value(4)]), TensorType(.float, [.value(5), .value(6)])], node)
        }
    }
}

@Suite struct LinearAlgebraGemmTests {
    static let attrs: [String: AttributeValue] = ["alpha": .float(0.5), "beta": .float(2), "transA": .int(1), "transB": .int(1)]

    @Test(arguments: [DataType.float, .double])
    func cShapesBroadcast(_ type: DataType) throws {
        let a = try tensor(type, V.gemm_aShape, V.gemm_a), b = try tensor(type, V.gemm_bShape, V.gemm_b)
        let op = try makeOp("Gemm", inputs: 3, Self.attrs)
        let cases: [(Tensor?, [Double])] = [
            (try tensor(type, V.gemm_c1Shape, V.gemm_c1), V.gemm_y1),
            (try tensor(type, V.gemm_c2Shape, V.gemm_c2), V.gemm_y2),
            (try tensor(type, V.gemm_c3Shape, V.gemm_c3), V.gemm_y3),
            (try tensor(type, [], [1.5]), V.gemm_ys),
            (nil, V.gemm_y0),
        ]
        for (c, want) in cases {
            let y = try op.evaluate([a, b, c], outputCount: 1)[0]
            #expect(y.shape == [3, 5])
            #expect(close(floats(y), want), "C \(c?.shape ?? [])")
        }
    }

    @Test func prepackedWithTransB() throws {
        let a = try tensor(.float, V.gemm_aShape, V.gemm_a), b = try tensor(.float, V.gemm_bShape, V.gemm_b)
        let op = try #require(try makeOp("Gemm", inputs: 3, Self.attrs) as? Gemm).prepacking(b: b)
        let y = try op.evaluate([a, nil, try tensor(.float, V.gemm_c1Shape, V.gemm_c1)], outputCount: 1)[0]
        #expect(close(floats(y), V.gemm_y1))
    }

    @Test func opset6AcceptsBroadcastAttribute() throws {
        var attrs = Self.attrs
        attrs["broadcast"] = .int(1)
        let op = try makeOp("Gemm", inputs: 3, opset: 6, attrs)
        let y = try op.evaluate([try tensor(.float, V.gemm_aShape, V.gemm_a), try tensor(.float, V.gemm_bShape, V.gemm_b),
                                 try tensor(.float, V.gemm_c1Shape, V.gemm_c1)], outputCount: 1)[0]
        #expect(close(floats(y), V.gemm_y1))
    }

    @Test func integerGemm() throws {
        let a = try itensor(.int32, V.gemmInt_aShape, V.gemmInt_a), b = try itensor(.int32, V.gemmInt_bShape, V.gemmInt_b)
        let c = try itensor(.int32, V.gemmInt_cShape, V.gemmInt_c)
        let y = try makeOp("Gemm", inputs: 3).evaluate([a, b, c], outputCount: 1)[0]
        #expect(y.toArray(Int32.self).map(Int64.init) == V.gemmInt_y)
        let y2 = try makeOp("Gemm", inputs: 3, ["alpha": .float(0.5), "beta": .float(3)]).evaluate([a, b, c], outputCount: 1)[0]
        #expect(y2.toArray(Int32.self).map(Int64.init) == V.gemmInt_y2)
    }

    @Test(arguments: [DataType.float16, .bfloat16])
    func halfTypes(_ type: DataType) throws {
        let a = try tensor(type, [2, 2], [1, 2, 3, 4]), b = try tensor(type, [2, 2], [5, 6, 7, 8])
        let c = try tensor(type, [2], [0.5, -1])
        let y = try makeOp("Gemm", inputs: 3).evaluate([a, b, c], outputCount: 1)[0]
        #expect(floats(y) == [19.5, 21, 43.5, 49])
    }

    @Test func badShapesThrow() throws {
        let op = try makeOp("Gemm", inputs: 3)
        let a = try tensor(.float, [2, 3], Array(repeating: 1, count: 6)), b = try tensor(.float, [3, 4], Array(repeating: 1, count: 12))
        #expect(throws: OpError.self) { try op.evaluate([a, b, try tensor(.float, [3], [1, 2, 3])], outputCount: 1) }
        #expect(throws: OpError.self) { try op.evaluate([a, a, nil], outputCount: 1) }
        #expect(throws: OpError.self) { try op.evaluate([try tensor(.float, [6], Array(repeating: 1, count: 6)), b, nil], outputCount: 1) }
    }

    @Test func inferTypes() throws {
        let node = NodeAttributes(Node(opType: "Gemm", inputs: ["a", "b"], outputs: ["y"], attributes: ["transA": .int(1)]), opset: 13)
        let t = try Gemm(node).inferTypes([TensorType(.float, [.value(4), .symbol("m")]), TensorType(.float, [.value(4), .value(7)])], node)
        #expect(t == [TensorType(.float, [.symbol("m"), .value(7)])])
    }
}

extension LinearAlgebraMatMulTests {
    /// The fp32 routes (rows folded across batches, B packed once for shared batches, per-batch
    /// GEMM) against the double loop, on small integers so both are exact.
    @Test(arguments: [([2, 1, 3, 4], [4, 5]), ([1, 3, 1, 2, 4], [1, 4, 5]), ([3, 1, 2, 4], [1, 2, 4, 5]),
                      ([2, 3, 17, 33], [33, 20]), ([4], [2, 1, 4, 3])])
    func floatRoutesMatchDoubleLoop(_ shapes: ([Int], [Int])) throws {
        func values(_ shape: [Int], _ seed: Int) -> [Double] {
            (0..<shape.reduce(1, *)).map { Double(($0 * 7 + seed) % 11 - 5) }
        }
        let op = try makeOp("MatMul", inputs: 2)
        let av = values(shapes.0, 1), bv = values(shapes.1, 4)
        let f = try op.evaluate([try tensor(.float, shapes.0, av), try tensor(.float, shapes.1, bv)], outputCount: 1)[0]
        let d = try op.evaluate([try tensor(.double, shapes.0, av), try tensor(.double, shapes.1, bv)], outputCount: 1)[0]
        #expect(f.shape == d.shape)
        #expect(floats(f) == floats(d))
    }
}

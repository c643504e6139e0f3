import Kernels
import ONNXGraph
import Ops
import Testing

private typealias V = LinearAlgebraValues

private func q(_ type: DataType, _ shape: [Int], _ values: [Int64]) throws -> Tensor {
    type == .int8 ? try Tensor(.int8, shape: shape, values: values.map { Int8($0) })
        : try Tensor(.uint8, shape: shape, values: values.map { UInt8($0) })
}

private func f32(_ shape: [Int], _ values: [Double]) throws -> Tensor {
    try Tensor(.float, shape: shape, values: values.map { Float($0) })
}

private func makeOp(_ type: String, inputs: Int, opset: Int) throws -> any Operator {
    let node = Node(opType: type, inputs: (0..<inputs).map { "x\($0)" }, outputs: ["y"])
    return try OpRegistry.standard.makeOperator(node, opset: opset)
}

@Suite struct LinearAlgebraMatMulIntegerTests {
    /// The example of ONNX's matmulinteger node test.
    @Test func onnxExample() throws {
        let a = try q(.uint8, [4, 3], [11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0])
        let b = try q(.uint8, [3, 2], [1, 4, 2, 5, 3, 6])
        let y = try makeOp("MatMulInteger", inputs: 4, opset: 10)
            .evaluate([a, b, try q(.uint8, [1], [12]), try q(.uint8, [1], [0])], outputCount: 1)[0]
        #expect(y.dataType == .int32)
        #expect(y.toArray(Int32.self) == [-38, -83, -44, -98, -50, -113, -56, -128])
    }

    @Test func perRowAndColumnZeroPointsWithBatch() throws {
        let op = try makeOp("MatMulInteger", inputs: 4, opset: 10)
        let inputs = [try q(.uint8, V.mmiRowCol_aShape, V.mmiRowCol_a), try q(.int8, V.mmiRowCol_bShape, V.mmiRowCol_b),
                      try q(.uint8, V.mmiRowCol_azpShape, V.mmiRowCol_azp), try q(.int8, V.mmiRowCol_bzpShape, V.mmiRowCol_bzp)]
        let y = try op.evaluate(inputs, outputCount: 1)[0]
        #expect(y.shape == V.mmiRowCol_yShape)
        #expect(y.toArray(Int32.self).map(Int64.init) == V.mmiRowCol_y)
        // Prepacked B gives the same result.
        let packed = try #require(op as? MatMulInteger).prepacking(b: inputs[1])
        let y2 = try packed.evaluate([inputs[0], nil, inputs[2], inputs[3]], outputCount: 1)[0]
        #expect(y2.toArray(Int32.self).map(Int64.init) == V.mmiRowCol_y)
    }

    @Test func signedAUnsignedBWithBatchedZeroPoints() throws {
        let inputs = [try q(.int8, V.mmiBatchZP_aShape, V.mmiBatchZP_a), try q(.uint8, V.mmiBatchZP_bShape, V.mmiBatchZP_b),
                      try q(.int8, V.mmiBatchZP_azpShape, V.mmiBatchZP_azp), try q(.uint8, V.mmiBatchZP_bzpShape, V.mmiBatchZP_bzp)]
        let y = try makeOp("MatMulInteger", inputs: 4, opset: 10).evaluate(inputs, outputCount: 1)[0]
        #expect(y.shape == V.mmiBatchZP_yShape)
        #expect(y.toArray(Int32.self).map(Int64.init) == V.mmiBatchZP_y)
    }

    @Test func noZeroPoints() throws {
        let y = try makeOp("MatMulInteger", inputs: 2, opset: 10)
            .evaluate([try q(.uint8, V.mmiNoZP_aShape, V.mmiNoZP_a), try q(.uint8, V.mmiNoZP_bShape, V.mmiNoZP_b)], outputCount: 1)[0]
        #expect(y.toArray(Int32.self).map(Int64.init) == V.mmiNoZP_y)
    }

    @Test func rejectsBadZeroPoints() throws {
        let op = try makeOp("MatMulInteger", inputs: 4, opset: 10)
        let a = try q(.uint8, [2, 3], [1, 2, 3, 4, 5, 6]), b = try q(.uint8, [3, 2], [1, 2, 3, 4, 5, 6])
        #expect(throws: OpError.self) { try op.evaluate([a, b, try q(.uint8, [3], [1, 2, 3]), nil], outputCount: 1) }
        #expect(throws: OpError.self) { try op.evaluate([a, b, try q(.int8, [1], [1]), nil], outputCount: 1) }
        #expect(throws: OpError.self) { try op.evaluate([a, try f32([3, 2], [1, 2, 3, 4, 5, 6]), nil, nil], outputCount: 1) }
    }

    @Test func inferTypes() throws {
        let node = NodeAttributes(Node(opType: "MatMulInteger", inputs: ["a", "b"], outputs: ["y"]), opset: 10)
        let t = try MatMulInteger(node).inferTypes([TensorType(.uint8, [.symbol("n"), .value(3)]), TensorType(.int8, [.value(3), .value(8)])], node)
        #expect(t == [TensorType(.int32, [.symbol("n"), .value(8)])])
    }
}

@Suite struct LinearAlgebraQLinearMatMulTests {
    /// ONNX's qlinearmatmul node test (2-D, uint8 and int8 outputs), at opsets 10 and 21.
    @Test(arguments: [10, 21])
    func onnxExample(opset: Int) throws {
        let op = try makeOp("QLinearMatMul", inputs: 8, opset: opset)
        let a = try q(.uint8, [2, 4], [208, 236, 0, 238, 3, 214, 255, 29])
        let b = try q(.uint8, [4, 3], [152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247])
        let uy = try op.evaluate([a, try f32([1], [0.0066]), try q(.uint8, [1], [113]), b, try f32([1], [0.00705]),
                                  try q(.uint8, [1], [114]), try f32([1], [0.0107]), try q(.uint8, [1], [118])], outputCount: 1)[0]
        #expect(uy.toArray(UInt8.self) == [168, 115, 255, 1, 66, 151])
        let sa = try q(.int8, [2, 4], [81, 109, -127, 111, -124, 87, -128, -98])
        let sb = try q(.int8, [4, 3], [25, -76, 117, -67, -101, -128, -127, 0, 119, 0, 127, 120])
        let sy = try op.evaluate([sa, try f32([1], [0.0066]), try q(.int8, [1], [-14]), sb, try f32([1], [0.00705]),
                                  try q(.int8, [1], [-13]), try f32([1], [0.0107]), try q(.int8, [1], [-9])], outputCount: 1)[0]
        #expect(sy.toArray(Int8.self) == [41, -12, -9, 1, -75, -128])
    }

    @Test func perRowColumnScalesWithBatch() throws {
        let op = try makeOp("QLinearMatMul", inputs: 8, opset: 21)
        let inputs = [try q(.uint8, V.qlmRowCol_aShape, V.qlmRowCol_a), try f32(V.qlmRowCol_saShape, V.qlmRowCol_sa),
                      try q(.uint8, V.qlmRowCol_zaShape, V.qlmRowCol_za), try q(.int8, V.qlmRowCol_bShape, V.qlmRowCol_b),
                      try f32(V.qlmRowCol_sbShape, V.qlmRowCol_sb), try q(.int8, V.qlmRowCol_zbShape, V.qlmRowCol_zb),
                      try f32([], [0.05]), try q(.int8, [], [7])]
        let y = try op.evaluate(inputs, outputCount: 1)[0]
        #expect(y.dataType == .int8)
        #expect(y.shape == V.qlmRowCol_yShape)
        #expect(y.toArray(Int8.self).map(Int64.init) == V.qlmRowCol_y)
        var packedInputs: [Tensor?] = inputs
        packedInputs[3] = nil
        let y2 = try #require(op as? QLinearMatMul).prepacking(b: inputs[3]).evaluate(packedInputs, outputCount: 1)[0]
        #expect(y2.toArray(Int8.self).map(Int64.init) == V.qlmRowCol_y)
    }
}

@Suite struct LinearAlgebraPrepackTests {
    /// A plan prepacks through the protocol, without knowing the op type.
    @Test func prepacksThroughTheProtocol() throws {
        let op = try makeOp("MatMulInteger", inputs: 4, opset: 10)
        let p = try #require(op as? any PrepacksConstantInput)
        #expect(p.prepackableInput == 1)
        let b = try q(.int8, V.mmiRowCol_bShape, V.mmiRowCol_b)
        let packed = try p.prepacking(constant: b)
        #expect(packed.prepackedB != nil)
        let y = try packed.evaluate([try q(.uint8, V.mmiRowCol_aShape, V.mmiRowCol_a), nil,
                                     try q(.uint8, V.mmiRowCol_azpShape, V.mmiRowCol_azp),
                                     try q(.int8, V.mmiRowCol_bzpShape, V.mmiRowCol_bzp)], outputCount: 1)[0]
        #expect(y.toArray(Int32.self).map(Int64.init) == V.mmiRowCol_y)
        // A batched (3-D) B does not qualify: the op is unchanged and still needs its input.
        let batched = try p.prepacking(constant: try q(.int8, [1, 5, 4], V.mmiRowCol_b))
        #expect(batched.prepackedB == nil)
        let q3 = try #require(try makeOp("QLinearMatMul", inputs: 8, opset: 21) as? any PrepacksConstantInput)
        #expect(q3.prepackableInput == 3)
    }
}

extension LinearAlgebraMatMulIntegerTests {
    /// The rows-only route (per-tensor a_zero_point) against the batched route (the same zero
    /// point spelled per row), with a per-column b_zero_point, prepacked and not.
    @Test func rowsRouteMatchesBatchedRoute() throws {
        let op = try #require(try makeOp("MatMulInteger", inputs: 4, opset: 10) as? MatMulInteger)
        let a = try q(.uint8, V.mmiRowCol_aShape, V.mmiRowCol_a), b = try q(.int8, V.mmiRowCol_bShape, V.mmiRowCol_b)
        let bz = try q(.int8, V.mmiRowCol_bzpShape, V.mmiRowCol_bzp)
        let rows = try op.evaluate([a, b, try q(.uint8, [], [77]), bz], outputCount: 1)[0]
        let batched = try op.evaluate([a, b, try q(.uint8, [3], [77, 77, 77]), bz], outputCount: 1)[0]
        let packed = try op.prepacking(b: b).evaluate([a, nil, try q(.uint8, [1], [77]), bz], outputCount: 1)[0]
        #expect(rows.shape == [2, 3, 4])
        #expect(rows.toArray(Int32.self) == batched.toArray(Int32.self))
        #expect(packed.toArray(Int32.self) == batched.toArray(Int32.self))
    }
}

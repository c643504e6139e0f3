import ONNXGraph
import Testing
@testable import Ops

/// QuantizeLinear / DequantizeLinear against the ONNX reference implementation
/// (`onnx.reference.ReferenceEvaluator`, onnx 1.23.2, numpy 2.4.6, ml_dtypes 0.6.0), values pasted.
@Suite("Quantization: QuantizeLinear / DequantizeLinear")
struct QuantizationLinearTests {
    static func q(_ opset: Int, _ attrs: [String: AttributeValue] = [:], _ inputs: [Tensor?]) throws -> Tensor {
        try CQ.run("QuantizeLinear", opset: opset, attrs, inputs)[0]
    }

    static func dq(_ opset: Int, _ attrs: [String: AttributeValue] = [:], _ inputs: [Tensor?]) throws -> Tensor {
        try CQ.run("DequantizeLinear", opset: opset, attrs, inputs)[0]
    }

    static func scalar<T: BitwiseCopyable>(_ t: DataType, _ v: T) throws -> Tensor { try Tensor(t, shape: [], values: [v]) }

    static let ties: [Float] = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 1000, -1000, .nan, 0.4999, 127.5, -128.5]

    @Test func perTensorRoundsHalfToEvenAndSaturates() throws {
        let x = try CQ.floats(Self.ties)
        let u = try Self.q(21, [:], [x, try Self.scalar(.float, Float(1)), try Self.scalar(.uint8, UInt8(128))])
        #expect(u.dataType == .uint8)
        #expect(u.toArray(UInt8.self) == [126, 126, 128, 128, 130, 130, 255, 0, 0, 128, 255, 0])
        let s = try Self.q(21, [:], [x, try Self.scalar(.float, Float(1)), try Self.scalar(.int8, Int8(0))])
        #expect(s.toArray(Int8.self) == [-2, -2, 0, 0, 2, 2, 127, -128, -128, 0, 127, -128])
        // No zero point: uint8 with zero point 0.
        let d = try Self.q(10, [:], [x, try Self.scalar(.float, Float(1))])
        #expect(d.dataType == .uint8 && d.toArray(UInt8.self) == [0, 0, 0, 0, 2, 2, 255, 0, 0, 0, 128, 0])
    }

    @Test func perAxis() throws {
        let x = try CQ.floats((-12..<12).map { Float($0) * 1.25 }, [2, 3, 4])
        let s1 = try CQ.floats([0.5, 1.0, 2.0])
        let z1 = try Tensor(.int8, shape: [3], values: [Int8(-3), 0, 5])
        #expect(try Self.q(13, ["axis": .int(1)], [x, s1, z1]).toArray(Int8.self)
            == [-33, -31, -28, -25, -10, -9, -8, -6, 3, 3, 4, 4, -3, -1, 2, 5, 5, 6, 8, 9, 10, 11, 11, 12])
        let s2 = try CQ.floats([0.5, 1.0, 2.0, 3.0])
        let z2 = try Tensor(.uint8, shape: [4], values: [UInt8(128), 120, 3, 250])
        #expect(try Self.q(13, ["axis": .int(-1)], [x, s2, z2]).toArray(UInt8.self)
            == [98, 106, 0, 246, 108, 111, 0, 248, 118, 116, 2, 250, 128, 121, 4, 251, 138, 126, 7, 253, 148, 131, 9, 255])
    }

    /// Blocks of 2 over an axis of 5 (the last block is short), with an inner dimension.
    static var blocked: (x: Tensor, scale: Tensor, zp: Tensor) {
        get throws {
            let base: [Float] = [0.5, 1.5, 2.0, 1.0, 0.25, 3.0, 2.5, 0.75, 1.25]
            let scale = (0..<18).map { base[$0 / 2] * Float($0 % 2 + 1) }
            return (try CQ.floats((-15..<15).map { Float($0) * 0.75 }, [3, 5, 2]), try CQ.floats(scale, [3, 3, 2]),
                    try Tensor(.uint8, shape: [3, 3, 2], values: (0..<18).map { UInt8($0 % 7 + 120) }))
        }
    }

    @Test func blocked() throws {
        let (x, s, z) = try Self.blocked
        #expect(try Self.q(21, ["axis": .int(1), "block_size": .int(2)], [x, s, z]).toArray(UInt8.self)
            == [98, 111, 100, 112, 116, 121, 118, 121, 121, 124, 122, 118, 124, 119, 118, 122, 124, 125, 124, 124, 127, 127, 127,
                127, 129, 126, 131, 127, 130, 127])
        let xl = try CQ.floats((-10..<10).map { Float($0) * Float(0.6) }, [2, 10])
        let sl = try CQ.floats([0.5, 1, 2, 0.25, 1.5, 0.75, 3, 1], [2, 4])
        let y = try Self.q(21, ["axis": .int(1), "block_size": .int(3), "output_dtype": .int(Int(DataType.int16.rawValue))], [xl, sl])
        #expect(y.dataType == .int16)
        #expect(y.toArray(Int16.self) == [-12, -11, -10, -4, -4, -3, -1, -1, -1, -2, 0, 0, 1, 2, 3, 4, 1, 1, 2, 5])
        let xb = try Tensor(.uint8, shape: [3, 5, 2], values: (0..<30).map { UInt8($0 * 37 % 256) })
        #expect(try Self.dq(21, ["axis": .int(1), "block_size": .int(2)], [xb, s, z]).toArray(Float.self)
            == [-60.0, -84.0, -23.0, -10.0, 39.0, 186.0, 150.0, -360.0, -168.0, -192.0, -12.0, 62.0, 62.0, 210.0, -28.75, -39.5,
                -10.25, -2.5, 93.0, 402.0, 257.5, -585.0, -197.5, -215.0, 0.0, 54.0, 55.5, 165.0, -137.5, -185.0])
    }

    @Test(arguments: [(DataType.uint4, [Int](arrayLiteral: 1, 2, 3, 5, 0, 0, 3, 4, 4, 5, 5, 11)),
                      (.int4, [1, 2, 3, 5, -8, -6, 3, 4, 4, 5, 5, 7]),
                      (.uint2, [1, 2, 3, 3, 0, 0, 3, 3, 3, 3, 3, 3]),
                      (.int2, [0, 1, 1, 1, -2, -2, 1, 1, 1, 1, 1, 1]),
                      (.uint16, [1, 2, 3, 5, 0, 0, 3, 4, 4, 5, 5, 11]),
                      (.int16, [1, 2, 3, 5, -9, -6, 3, 4, 4, 5, 5, 11])])
    func integerTypesPerAxis(_ type: DataType, _ expected: [Int]) throws {
        let x = try CQ.floats([0.0, 2.5, 4.8, 8.6, -30, -20, 6, 9, 12, 15, 16, 40], [3, 4])
        let s = try CQ.floats([2, 3, 4])
        let zv = type == .int2 ? 0 : 1
        let z: Tensor = switch type.storageSize {
        case 1: try Tensor(type, shape: [3], values: [UInt8](repeating: UInt8(zv), count: 3))
        default: try Tensor(type, shape: [3], values: [UInt16](repeating: UInt16(zv), count: 3))
        }
        let y = try Self.q(25, ["axis": .int(0)], [x, s, z])
        #expect(y.dataType == type)
        let got: [Int] = switch type {
        case .int4, .int2: y.toArray(Int8.self).map(Int.init)
        case .uint4, .uint2: y.toArray(UInt8.self).map(Int.init)
        case .uint16: y.toArray(UInt16.self).map(Int.init)
        default: y.toArray(Int16.self).map(Int.init)
        }
        #expect(got == expected)
    }

    static let f8Input: [Float] = [0.0, 1.0, 2.0, 100000.0, 200.0, -0.0, -1e-9, .nan, .infinity, -.infinity, 700, -3.3]

    @Test(arguments: [(DataType.float8e4m3fn, [UInt8](arrayLiteral: 0, 48, 56, 126, 108, 128, 128, 127, 126, 254, 123, 189),
                       [UInt8](arrayLiteral: 0, 48, 56, 127, 108, 128, 128, 127, 127, 255, 123, 189)),
                      (.float8e5m2, [0, 56, 60, 122, 86, 128, 128, 126, 123, 251, 93, 191], [0, 56, 60, 122, 86, 128, 128, 126, 124, 252, 93, 191]),
                      (.float8e4m3fnuz, [0, 56, 64, 127, 116, 0, 0, 128, 127, 255, 127, 197], [0, 56, 64, 128, 116, 0, 0, 128, 128, 128, 128, 197]),
                      (.float8e5m2fnuz, [0, 60, 64, 126, 90, 0, 0, 128, 127, 255, 97, 195], [0, 60, 64, 126, 90, 0, 0, 128, 128, 128, 97, 195]),
                      (.float4e2m1, [0, 1, 2, 7, 7, 0, 8, 8, 7, 15, 7, 11], [0, 1, 2, 7, 7, 0, 8, 8, 7, 15, 7, 11])])
    func floatOutputsWithAndWithoutSaturation(_ type: DataType, _ saturated: [UInt8], _ unsaturated: [UInt8]) throws {
        let x = try CQ.floats(Self.f8Input)
        let z = try Tensor(type, shape: [], values: [UInt8(0)])
        let s = try Self.scalar(.float, Float(2))
        #expect(try Self.q(23, ["saturate": .int(1)], [x, s, z]).toArray(UInt8.self) == saturated)
        #expect(try Self.q(23, ["saturate": .int(0)], [x, s, z]).toArray(UInt8.self) == unsaturated)
    }

    @Test func divisionPrecision() throws {
        let xh = try Tensor(.float16, shape: [6], values: [UInt16(0x2e66), 0xc74d, 0x63d1, 0x4248, 0xb800, 0x7bff])
        let sh = try Self.scalar(.float16, UInt16(0x34cd))
        // float16 division; 65504 / 0.3 overflows to inf in float16, which saturates to 127 (the
        // reference's int32 conversion of inf gives -128 there: undefined behaviour we do not copy).
        #expect(try Self.q(21, [:], [xh, sh, try Self.scalar(.int8, Int8(1))]).toArray(Int8.self) == [1, -23, 127, 11, -1, 127])
        let p = try Self.q(23, ["precision": .int(1)], [xh, sh, try Self.scalar(.int16, Int16(1))])
        #expect(p.toArray(Int16.self) == [1, -23, 3335, 11, -1, 32767])
        let xb = try Tensor(.bfloat16, shape: [6], values: [UInt16(0x3dcd), 0xc0ea, 0x447a, 0x4049, 0xbf00, 0x4780])
        let b = try Self.q(21, [:], [xb, try Self.scalar(.bfloat16, UInt16(0x3e9a)), try Self.scalar(.int16, Int16(0))])
        #expect(b.toArray(Int16.self) == [0, -24, 3328, 10, -2, 32767])
        let xi = try Tensor(.int32, shape: [7], values: [Int32(5), 7, -5, -7, 1000, -1000, 255])
        #expect(try Self.q(19, [:], [xi, try Self.scalar(.float, Float(2)), try Self.scalar(.int8, Int8(0))]).toArray(Int8.self)
            == [2, 4, -2, -4, 127, -128, 127])
    }

    @Test func dequantizeIntegerTypes() throws {
        let xu = try Tensor(.uint8, shape: [5], values: [UInt8(0), 3, 128, 255, 17])
        #expect(try Self.dq(21, [:], [xu, try Self.scalar(.float, Float(0.1)), try Self.scalar(.uint8, UInt8(128))]).toArray(Float.self)
            == [-12.800000190734863, -12.5, 0.0, 12.699999809265137, -11.100000381469727])
        let xs = try Tensor(.int8, shape: [2, 3, 4], values: (-12..<12).map { Int8($0 * 9) })
        #expect(try Self.dq(19, ["axis": .int(1)], [xs, try CQ.floats([0.5, 0.1, 2.0]), try Tensor(.int8, shape: [3], values: [Int8(-3), 0, 5])])
            .toArray(Float.self)
            == [-52.5, -48.0, -43.5, -39.0, -7.200000286102295, -6.300000190734863, -5.400000095367432, -4.5, -82.0, -64.0, -46.0,
                -28.0, 1.5, 6.0, 10.5, 15.0, 3.6000001430511475, 4.5, 5.400000095367432, 6.300000190734863, 134.0, 152.0, 170.0, 188.0])
        #expect(try Self.dq(19, ["axis": .int(-1)], [xs, try CQ.floats([0.5, 0.1, 2.0, 0.3]), try Tensor(.int8, shape: [4], values: [Int8(-3), 0, 5, 127])])
            .toArray(Float.self)
            == [-52.5, -9.90000057220459, -190.0, -62.400001525878906, -34.5, -6.300000190734863, -118.0, -51.60000228881836, -16.5,
                -2.700000047683716, -46.0, -40.80000305175781, 1.5, 0.9000000357627869, 26.0, -30.000001907348633, 19.5, 4.5, 98.0,
                -19.200000762939453, 37.5, 8.100000381469727, 170.0, -8.40000057220459])
        let xi = try Tensor(.int32, shape: [4], values: [Int32(1 << 24) + 1, -7, 100000, 3])
        #expect(try Self.dq(21, [:], [xi, try Self.scalar(.float, Float(0.5))]).toArray(Float.self) == [8388608.0, -3.5, 50000.0, 1.5])
        let x16 = try Tensor(.uint16, shape: [3], values: [UInt16(0), 65535, 32767])
        #expect(try Self.dq(21, [:], [x16, try Self.scalar(.float, Float(0.5)), try Self.scalar(.uint16, UInt16(32767))]).toArray(Float.self)
            == [-16383.5, 16384.0, 0.0])
        let s16 = try Tensor(.int16, shape: [3], values: [Int16(-32768), 32767, 5])
        #expect(try Self.dq(21, [:], [s16, try Self.scalar(.float, Float(0.25)), try Self.scalar(.int16, Int16(-5))]).toArray(Float.self)
            == [-8190.75, 8193.0, 2.5])
        let x4 = try Tensor(.int4, shape: [3, 2], values: [Int8(-8), 7, 0, 1, -1, 5])
        #expect(try Self.dq(21, ["axis": .int(0)], [x4, try CQ.floats([2, 3, 0.5]), try Tensor(.int4, shape: [3], values: [Int8(1), -2, 3])])
            .toArray(Float.self) == [-18.0, 12.0, 6.0, 9.0, -2.0, 1.0])
    }

    @Test func dequantizeFloatTypesAndOutputTypes() throws {
        let xe = try Tensor(.float8e4m3fn, shape: [6], values: [UInt8(0), 0x30, 0x38, 0x7e, 0x6c, 0xc5])
        let h = try Self.dq(21, [:], [xe, try Self.scalar(.float16, UInt16(0x34cd))])
        #expect(h.dataType == .float16 && h.toArray(UInt16.self) == [0x0, 0x30cd, 0x34cd, 0x5833, 0x4f34, 0xbbcd])
        let b = try Self.dq(23, ["output_dtype": .int(Int(DataType.bfloat16.rawValue))], [xe, try Self.scalar(.float, Float(0.3))])
        #expect(b.dataType == .bfloat16 && b.toArray(UInt16.self) == [0x0, 0x3e1a, 0x3e9a, 0x4306, 0x41e6, 0xbf7a])
        let xu = try Tensor(.uint8, shape: [5], values: [UInt8(0), 3, 128, 255, 17])
        #expect(try Self.dq(21, [:], [xu, try Self.scalar(.float16, Float16(0.1).bitPattern), try Self.scalar(.uint8, UInt8(128))])
            .toArray(UInt16.self) == [0xca66, 0xca40, 0x0, 0x4a59, 0xc98c])
        let x4 = try Tensor(.float4e2m1, shape: [4], values: [UInt8(0), 0x9, 0x7, 0xb])
        #expect(try Self.dq(23, [:], [x4, try Self.scalar(.float, Float(3))]).toArray(Float.self) == [0.0, -1.5, 18.0, -4.5])
        let e8 = try Self.scalar(.float8e8m0, UInt8(129))
        #expect(try Self.dq(24, ["output_dtype": .int(1)], [xu, e8, try Self.scalar(.uint8, UInt8(128))]).toArray(Float.self)
            == [-512.0, -500.0, 0.0, 508.0, -444.0])
    }

    @Test func badInputsAreErrors() throws {
        let x = try CQ.floats((0..<12).map(Float.init), [3, 4])
        let u8zp = try Tensor(.uint8, shape: [3], values: [UInt8](repeating: 0, count: 3))
        // Per-axis scale of the wrong length for the axis.
        #expect(throws: OpError.self) { try Self.q(13, ["axis": .int(1)], [x, try CQ.floats([1, 2, 3]), u8zp]) }
        // Zero point shape differs from the scale's.
        #expect(throws: OpError.self) { try Self.q(13, ["axis": .int(0)], [x, try CQ.floats([1, 2, 3]), try Tensor(.uint8, shape: [2], values: [UInt8(0), 0])]) }
        // 2-D scale without block_size; blocked scale with the wrong number of blocks.
        #expect(throws: OpError.self) { try Self.q(21, [:], [x, try CQ.floats([1, 2, 3, 4, 5, 6], [3, 2])]) }
        #expect(throws: OpError.self) { try Self.q(21, ["axis": .int(1), "block_size": .int(3)], [x, try CQ.floats([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])]) }
        #expect(throws: OpError.self) { try Self.q(21, ["axis": .int(0), "block_size": .int(2)], [x, try CQ.floats([1, 2, 3, 4, 5, 6], [3, 2])]) }
        // A negative block size; a huge one is one block per row.
        #expect(throws: OpError.self) { try Self.q(21, ["axis": .int(1), "block_size": .int(-2)], [x, try CQ.floats([1, 2, 3], [3, 1])]) }
        let huge = try Self.q(21, ["axis": .int(1), "block_size": .int(Int.max)], [x, try CQ.floats([1, 2, 4], [3, 1])])
        #expect(huge.toArray(UInt8.self) == [0, 1, 2, 3, 2, 2, 3, 4, 2, 2, 2, 3])
        // Axis out of range, output_dtype disagreeing with the zero point, an unsupported x type.
        #expect(throws: OpError.self) { try Self.q(13, ["axis": .int(2)], [x, try CQ.floats([1, 2, 3]), u8zp]) }
        #expect(throws: OpError.self) {
            try Self.q(21, ["output_dtype": .int(3)], [x, try Self.scalar(.float, Float(1)), try Self.scalar(.uint8, UInt8(0))])
        }
        #expect(throws: OpError.self) { try Self.q(21, [:], [try Tensor(.int8, shape: [1], values: [Int8(1)]), try Self.scalar(.float, Float(1))]) }
        // Dequantize: zero point of another type; an e8m0 scale without output_dtype.
        let xu = try Tensor(.uint8, shape: [2], values: [UInt8(1), 2])
        #expect(throws: OpError.self) { try Self.dq(21, [:], [xu, try Self.scalar(.float, Float(1)), try Self.scalar(.int8, Int8(0))]) }
        #expect(throws: OpError.self) { try Self.dq(24, [:], [xu, try Self.scalar(.float8e8m0, UInt8(127))]) }
        #expect(throws: OpError.self) { try Self.dq(21, [:], [xu, try CQ.floats([1, 2, 3])]) }
    }

    @Test func inferTypes() throws {
        let node = Node(opType: "QuantizeLinear", inputs: ["x", "s"], outputs: ["y"], attributes: ["output_dtype": .int(3)])
        let op = try OpRegistry.standard.makeOperator(node, opset: 21)
        #expect(try op.inferTypes([TensorType(.float, [.symbol("n"), .value(4)]), TensorType(.float, shape: [])], NodeAttributes(node, opset: 21))
            == [TensorType(.int8, [.symbol("n"), .value(4)])])
        let znode = Node(opType: "QuantizeLinear", inputs: ["x", "s", "z"], outputs: ["y"])
        let zop = try OpRegistry.standard.makeOperator(znode, opset: 21)
        #expect(try zop.inferTypes([TensorType(.float, shape: [2]), nil, nil], NodeAttributes(znode, opset: 21)) == [TensorType(nil, [.value(2)])])
        #expect(try zop.inferTypes([TensorType(.float, shape: [2]), nil, TensorType(.int4, shape: [])], NodeAttributes(znode, opset: 21))
            == [TensorType(.int4, shape: [2])])
        let dnode = Node(opType: "DequantizeLinear", inputs: ["x", "s"], outputs: ["y"])
        let dop = try OpRegistry.standard.makeOperator(dnode, opset: 21)
        #expect(try dop.inferTypes([TensorType(.int8, shape: [2]), TensorType(.float16, shape: [])], NodeAttributes(dnode, opset: 21))
            == [TensorType(.float16, shape: [2])])
    }
}

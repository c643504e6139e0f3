import ONNXGraph
import Testing
@testable import Ops

/// Cast / CastLike against numpy and ml_dtypes (values computed with the project venv:
/// numpy 2.4.6, ml_dtypes 0.6.0, onnx 1.23.2; hashes are FNV-1a 64 over the output bytes).
@Suite("Conversion: Cast")
struct ConversionCastTests {
    static let onnxValues: [Float] = ["0.47892547", "0.48033667", "0.49968487", "0.81910545", "0.47031248", "0.816468",
                                      "0.21087195", "0.7229038", "NaN", "INF", "+INF", "-INF"].map { Float($0)! }

    @Test func floatToFloat16AndBfloat16MatchesTheNodeTestValues() throws {
        let x = try CQ.floats(Self.onnxValues, [3, 4])
        let h = try CQ.cast(x, to: .float16)
        #expect(h.shape == [3, 4])
        #expect(h.toArray(UInt16.self) == [0x37aa, 0x37af, 0x37ff, 0x3a8e, 0x3786, 0x3a88, 0x32bf, 0x39c9, 0x7e00, 0x7c00, 0x7c00, 0xfc00])
        let b = try CQ.cast(x, to: .bfloat16)
        #expect(b.toArray(UInt16.self) == [0x3ef5, 0x3ef6, 0x3f00, 0x3f52, 0x3ef1, 0x3f51, 0x3e58, 0x3f39, 0x7fc0, 0x7f80, 0x7f80, 0xff80])
    }

    /// float32 → float16 / bfloat16 over every 4099th float32 bit pattern (NaNs left out: numpy and
    /// the hardware keep different NaN payloads), and float16 → float / double over all patterns.
    @Test func sixteenBitSweepsMatchNumpy() throws {
        var v: [Float] = []
        var b: UInt64 = 0
        while b < (1 << 32) {
            let f = Float(bitPattern: UInt32(b))
            if !f.isNaN { v.append(f) }
            b += 4099
        }
        #expect(v.count == 1_043_716)
        let x = try CQ.floats(v)
        #expect(CQ.fnv(try CQ.cast(x, to: .float16)) == 0x4dd7_8fca_5341_d609)
        #expect(CQ.fnv(try CQ.cast(x, to: .bfloat16)) == 0x642f_1c8b_cc01_b441)
        let h = try Tensor(.float16, shape: [65536], values: (0..<65536).map { UInt16($0) })
        #expect(CQ.fnv(try CQ.cast(h, to: .float)) == 0xb065_9868_ec05_3145)
        #expect(CQ.fnv(try CQ.cast(h, to: .double)) == 0x8f7e_f86d_4127_a125)
    }

    @Test func doubleToFloat16RoundsOnce() throws {
        let d: [Double] = [65519.99, 65520.0, 1e-8, 2.9802322387695312e-08, 2.98023223876953125e-08 * 1.0000001, 0.1, 1.0 / 3, -1e300]
        let y = try CQ.cast(try Tensor(.double, shape: [8], values: d), to: .float16)
        #expect(y.toArray(UInt16.self) == [0x7bff, 0x7c00, 0x0, 0x0, 0x1, 0x2e66, 0x3555, 0xfc00])
    }

    @Test func floatToIntegersFollowNumpyOnX86() throws {
        let d: [Double] = [.nan, .infinity, -.infinity, 300.7, -300.7, 3e9, -3e9, 1e19, 2e19, -1.5, 70000.5, 2147483651, 1e300]
        let x = try Tensor(.double, shape: [d.count], values: d)
        #expect(try CQ.cast(x, to: .int8).toArray(Int8.self) == [0, 0, 0, 44, -44, 0, 0, 0, 0, -1, 112, 0, 0])
        #expect(try CQ.cast(x, to: .uint8).toArray(UInt8.self) == [0, 0, 0, 44, 212, 0, 0, 0, 0, 255, 112, 0, 0])
        #expect(try CQ.cast(x, to: .uint16).toArray(UInt16.self) == [0, 0, 0, 300, 65236, 0, 0, 0, 0, 65535, 4464, 0, 0])
        #expect(try CQ.cast(x, to: .int32).toArray(Int32.self)
            == [.min, .min, .min, 300, -300, .min, .min, .min, .min, -1, 70000, .min, .min])
        #expect(try CQ.cast(x, to: .uint32).toArray(UInt32.self)
            == [2147483648, 0, 2147483648, 300, 4294966996, 3000000000, 2147483648, 0, 0, 4294967295, 70000, 2147483651, 0])
        #expect(try CQ.cast(x, to: .int64).toArray(Int64.self)
            == [.min, .min, .min, 300, -300, 3000000000, -3000000000, .min, .min, -1, 70000, 2147483651, .min])
        #expect(try CQ.cast(x, to: .uint64).toArray(UInt64.self)
            == [9223372036854775808, 0, 9223372036854775808, 300, 18446744073709551316, 3000000000, 18446744070709551616,
                10000000000000000000, 0, 18446744073709551615, 70000, 2147483651, 0])
        #expect(try CQ.cast(x, to: .int4).toArray(Int8.self) == [0, 0, 0, -4, 4, 0, 0, 0, 0, -1, 0, 0, 0])
        #expect(try CQ.cast(x, to: .uint4).toArray(UInt8.self) == [0, 0, 0, 12, 4, 0, 0, 0, 0, 15, 0, 0, 0])
        #expect(try CQ.cast(x, to: .int2).toArray(Int8.self) == [0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0])
    }

    /// The one-pass loops for common pairs agree with numpy too (float32 source).
    @Test func floatSourceFastPaths() throws {
        let f: [Float] = [.nan, .infinity, -.infinity, 300.7, -300.7, 3e9, -3e9, 1e19, -1.5, 70000.5, 0, -0.0]
        let x = try CQ.floats(f)
        #expect(try CQ.cast(x, to: .int32).toArray(Int32.self) == [.min, .min, .min, 300, -300, .min, .min, .min, -1, 70000, 0, 0])
        #expect(try CQ.cast(x, to: .int64).toArray(Int64.self)
            == [.min, .min, .min, 300, -300, 3000000000, -3000000000, .min, -1, 70000, 0, 0])
        #expect(try CQ.cast(x, to: .bool).toArray(UInt8.self) == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
        let d = try CQ.cast(x, to: .double)
        #expect(try CQ.cast(d, to: .float).toArray(UInt32.self) == f.map(\.bitPattern))
        let i = try Tensor(.int64, shape: [3], values: [Int64(1) << 40 | 5, -3, 0])
        #expect(try CQ.cast(i, to: .int32).toArray(Int32.self) == [5, -3, 0])
        #expect(try CQ.cast(i, to: .bool).toArray(UInt8.self) == [1, 1, 0])
        #expect(try CQ.cast(try CQ.cast(i, to: .int32), to: .int64).toArray(Int64.self) == [5, -3, 0])
    }

    /// The node tests' 4- and 2-bit cases: arange(-9, 16) and arange(-3, 4) through ml_dtypes.
    @Test func subByteIntegersWrap() throws {
        let x = try CQ.floats((-9..<16).map(Float.init), [5, 5])
        #expect(try CQ.cast(x, to: .int4).toArray(Int8.self)
            == [7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1])
        let u = try CQ.cast(x, to: .uint4)
        #expect(u.toArray(UInt8.self) == [7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
        #expect(try CQ.cast(u, to: .uint8).toArray(UInt8.self) == u.toArray(UInt8.self))
        let back = try CQ.cast(try CQ.cast(x, to: .int4), to: .float16)
        #expect(back.toArray(UInt16.self).map { Float(Float16(bitPattern: $0)) }
            == [7, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1])
        let t = try CQ.floats((-3..<4).map(Float.init), [7, 1])
        #expect(try CQ.cast(t, to: .int2).toArray(Int8.self) == [1, -2, -1, 0, 1, -2, -1])
        #expect(try CQ.cast(t, to: .uint2).toArray(UInt8.self) == [1, 2, 3, 0, 1, 2, 3])
        let i = try Tensor(.int32, shape: [6], values: [Int32(200), -56, 300, -1, 127, 70000])
        #expect(try CQ.cast(i, to: .int4).toArray(Int8.self) == [-8, -8, -4, -1, -1, 0])
        #expect(try CQ.cast(i, to: .uint2).toArray(UInt8.self) == [0, 0, 0, 3, 3, 0])
    }

    @Test func integersConvert() throws {
        let i = try Tensor(.int32, shape: [6], values: [Int32(200), -56, 300, -1, 127, 70000])
        #expect(try CQ.cast(i, to: .int8).toArray(Int8.self) == [-56, -56, 44, -1, 127, 112])
        #expect(try CQ.cast(i, to: .uint16).toArray(UInt16.self) == [200, 65480, 300, 65535, 127, 4464])
        #expect(try CQ.cast(i, to: .bool).toArray(UInt8.self) == [1, 1, 1, 1, 1, 1])
        let big = try Tensor(.int64, shape: [5], values: [Int64(1 << 53) + 1, .min, .max, 16777217, 123456789])
        #expect(try CQ.cast(big, to: .float).toArray(UInt32.self) == [0x5a000000, 0xdf000000, 0x5f000000, 0x4b800000, 0x4ceb79a3])
        #expect(try CQ.cast(big, to: .float16).toArray(UInt16.self) == [0x7c00, 0xfc00, 0x7c00, 0x7c00, 0x7c00])
        let u = try Tensor(.uint64, shape: [2], values: [UInt64.max, (1 << 63) + 1])
        #expect(try CQ.cast(u, to: .float).toArray(UInt32.self) == [0x5f800000, 0x5f000000])
        #expect(try CQ.cast(u, to: .double).toArray(UInt64.self) == [0x43f0000000000000, 0x43e0000000000000])
        #expect(try CQ.cast(u, to: .int8).toArray(Int8.self) == [-1, 1])
    }

    @Test func boolConversions() throws {
        let f = try CQ.floats([0, -0.0, .nan, 0.5, -2])
        #expect(try CQ.cast(f, to: .bool).toArray(UInt8.self) == [0, 0, 1, 1, 1])
        let b = try Tensor(.bool, shape: [2], values: [UInt8(1), 0])
        #expect(try CQ.cast(b, to: .float).toArray(Float.self) == [1, 0])
        #expect(try CQ.cast(b, to: .int64).toArray(Int64.self) == [1, 0])
        #expect(try CQ.cast(b, to: .string).storage.strings == ["True", "False"])
    }

    @Test func numbersToStringsLikeNumpy() throws {
        let f = try CQ.floats([0.47892547, 1e-7, 1e6, 999999.9, 123456789.0, 0.0001, 0.00012345, -0.0, .nan, .infinity,
                               -.infinity, 3.0, 100.5, -2.5e-10, 16777216.0])
        #expect(try CQ.cast(f, to: .string).storage.strings
            == ["0.47892547", "1e-07", "1e+06", "999999.9", "1.2345679e+08", "1e-04", "0.00012345", "-0.0", "nan", "inf",
                "-inf", "3.0", "100.5", "-2.5e-10", "1.6777216e+07"])
        let d = try Tensor(.double, shape: [7], values: [0.1, 1e16, 9999999999999998.0, 1e-5, 123456789012.0, -1.5e300, Double(bitPattern: 1)])
        #expect(try CQ.cast(d, to: .string).storage.strings
            == ["0.1", "1e+16", "9999999999999998.0", "1e-05", "123456789012.0", "-1.5e+300", "5e-324"])
        let h = try Tensor(.float16, shape: [6], values: [Float16(999), 1000, 0.5, 0.0001, 65504, -0.000123].map(\.bitPattern))
        #expect(try CQ.cast(h, to: .string).storage.strings == ["999.0", "1e+03", "0.5", "0.0001", "6.55e+04", "-0.000123"])
        let i = try Tensor(.int8, shape: [3], values: [Int8(-5), 0, 7])
        #expect(try CQ.cast(i, to: .string).storage.strings == ["-5", "0", "7"])
    }

    @Test func stringsToNumbers() throws {
        let s = try Tensor(strings: ["0.47892547", "1e-5", "1E8", "+INF", "INF", "-INF", "NaN", "inf", "-inf", "100.5", " 3.25 ", "-0"],
                           shape: [12])
        #expect(try CQ.cast(s, to: .float).toArray(UInt32.self)
            == [0x3ef535b8, 0x3727c5ac, 0x4cbebc20, 0x7f800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800000, 0xff800000,
                0x42c90000, 0x40500000, 0x80000000])
        let d = try Tensor(strings: ["0.1", "1e-310", "-7.5"], shape: [3])
        #expect(try CQ.cast(d, to: .double).toArray(UInt64.self) == [0x3fb999999999999a, 0x12688b70e62b, 0xc01e000000000000])
        let n = try Tensor(strings: ["100", "-7", "1000", "100.5", "18446744073709551615"], shape: [5])
        #expect(try CQ.cast(n, to: .int8).toArray(Int8.self) == [100, -7, -24, 100, -1])
        #expect(try CQ.cast(n, to: .uint64).toArray(UInt64.self) == [100, UInt64(bitPattern: -7), 1000, 100, .max])
        let b = try Tensor(strings: ["0", "1", "true", "False", "0.0", "-3"], shape: [6])
        #expect(try CQ.cast(b, to: .bool).toArray(UInt8.self) == [0, 1, 1, 0, 0, 1])
        #expect(throws: OpError.self) { try CQ.cast(try Tensor(strings: ["Hello World!"], shape: [1]), to: .float) }
        #expect(throws: OpError.self) { try CQ.cast(try Tensor(strings: ["0x10"], shape: [1]), to: .int32) }
    }

    @Test func stringRoundTripKeepsFloats() throws {
        let v: [Float] = [0.1, 1.0 / 3, 3.4e38, Float(bitPattern: 1), -123.456, 6.0e-5]
        let s = try CQ.cast(try CQ.floats(v), to: .string)
        #expect(try CQ.cast(s, to: .float).toArray(Float.self) == v)
    }

    @Test func opset1TakesATypeNameAndCastLikeUsesTheSecondInputsType() throws {
        let x = try CQ.floats([1.5, -2.5])
        let y = try CQ.run("Cast", opset: 1, ["to": .string("INT32")], [x])[0]
        #expect(y.dataType == .int32 && y.toArray(Int32.self) == [1, -2])
        let like = try Tensor(.float16, shape: [0], values: [UInt16]())
        let z = try CQ.run("CastLike", opset: 19, ["saturate": .int(0)], [x, like])[0]
        #expect(z.dataType == .float16 && z.toArray(UInt16.self) == [0x3e00, 0xc100])
        let e = try Tensor(.float8e4m3fn, shape: [], values: [UInt8(0)])
        let big = try CQ.floats([1e6, -1e6])
        #expect(try CQ.run("CastLike", opset: 19, [:], [big, e])[0].toArray(UInt8.self) == [0x7e, 0xfe])
        #expect(try CQ.run("CastLike", opset: 19, ["saturate": .int(0)], [big, e])[0].toArray(UInt8.self) == [0x7f, 0xff])
    }

    @Test func castLikeHonoursRoundMode() throws {
        let x = try CQ.floats([0.124, 1.1, 3.0])
        let e8 = try Tensor(.float8e8m0, shape: [1], values: [UInt8(127)])
        #expect(try CQ.run("CastLike", opset: 25, [:], [x, e8])[0].toArray(UInt8.self) == [124, 128, 129])
        #expect(try CQ.run("CastLike", opset: 25, ["round_mode": .string("down")], [x, e8])[0].toArray(UInt8.self) == [123, 127, 128])
        #expect(try CQ.run("CastLike", opset: 25, ["round_mode": .string("nearest")], [x, e8])[0].toArray(UInt8.self) == [124, 127, 129])
    }

    @Test func badAttributesAreErrors() throws {
        let x = try CQ.floats([1])
        #expect(throws: OpError.self) { try CQ.run("Cast", opset: 13, [:], [x]) }
        #expect(throws: OpError.self) { try CQ.run("Cast", opset: 13, ["to": .int(999)], [x]) }
        #expect(throws: OpError.self) { try CQ.run("Cast", opset: 13, ["to": .int(14)], [x]) }
        #expect(throws: OpError.self) { try CQ.run("Cast", opset: 25, ["to": .int(24), "round_mode": .string("sideways")], [x]) }
    }

    @Test func inferTypesGivesTheTargetTypeAndShape() throws {
        let node = Node(opType: "Cast", inputs: ["x"], outputs: ["y"], attributes: ["to": .int(10)])
        let op = try OpRegistry.standard.makeOperator(node, opset: 21)
        let t = try op.inferTypes([TensorType(.float, [.symbol("b"), .value(3)])], NodeAttributes(node, opset: 21))
        #expect(t == [TensorType(.float16, [.symbol("b"), .value(3)])])
    }
}

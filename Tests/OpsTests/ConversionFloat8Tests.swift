import ONNXGraph
import Testing
@testable import Ops

/// Casts to and from the float8 family, float4e2m1, float6 and float8e8m0 against ml_dtypes
/// (`astype`, and `onnx.numpy_helper.saturate_cast` for saturate=1; `to_float8e8m0` for e8m0).
@Suite("Conversion: float8 / float4 / float6 / e8m0")
struct ConversionFloat8Tests {
    struct Sweep: Sendable, CustomStringConvertible {
        let type: DataType
        let allFloat16: (noSaturate: UInt64, saturate: UInt64)
        let midpoints: (noSaturate: UInt64, saturate: UInt64)
        let decode: UInt64
        var description: String { type.description }
    }

    static let sweeps: [Sweep] = [
        Sweep(type: .float8e4m3fn, allFloat16: (0xbd57_1fcb_cd35_1aa5, 0x2d72_4a81_49ff_1225),
              midpoints: (0x2714_fb2d_c446_2517, 0xbdbc_146a_1a65_891d), decode: 0xdad1_d9c5_0f74_9ca5),
        Sweep(type: .float8e4m3fnuz, allFloat16: (0x5baa_f26b_4d46_d9a5, 0xd671_61fa_988d_e225),
              midpoints: (0x1cf4_e836_b10d_b89d, 0x33ef_dc92_9922_7d17), decode: 0xf518_51cb_11c6_3018),
        Sweep(type: .float8e5m2, allFloat16: (0xbd84_6ad2_7363_4325, 0x1e3e_cb6c_5c7e_6f25),
              midpoints: (0x49c9_91cf_68cc_8d25, 0x0683_60d8_aee4_82af), decode: 0x6c1e_56b6_fb09_c905),
        Sweep(type: .float8e5m2fnuz, allFloat16: (0xf336_d4e1_e12e_dda5, 0xf78b_d6e1_3c6c_f725),
              midpoints: (0x46d2_d394_5b21_1c9d, 0x4a94_c6d7_f03d_3497), decode: 0x94ae_6fc4_93d4_9818),
        Sweep(type: .float4e2m1, allFloat16: (0x93e6_0c1e_f55c_cd25, 0x93e6_0c1e_f55c_cd25),
              midpoints: (0x1ec2_4551_7d27_f14f, 0x1ec2_4551_7d27_f14f), decode: 0x2403_bb76_b85d_fea5),
        Sweep(type: .float6e2m3, allFloat16: (0x4764_14a0_b5a7_5325, 0x4764_14a0_b5a7_5325),
              midpoints: (0x3e90_98d7_d550_b077, 0x3e90_98d7_d550_b077), decode: 0x7ffa_cb24_ad8b_0aa5),
        Sweep(type: .float6e3m2, allFloat16: (0xcfea_8c0b_1d58_7925, 0xcfea_8c0b_1d58_7925),
              midpoints: (0x0322_1f27_3473_9ff7, 0x0322_1f27_3473_9ff7), decode: 0x25da_1343_4201_d785),
    ]

    /// Every float16 value (NaNs, infinities, subnormals) and every tie between neighbouring float16
    /// values, encoded with saturate on and off.
    @Test(arguments: sweeps)
    func encodingMatchesMlDtypes(_ s: Sweep) throws {
        let all = try CQ.floats(CQ.allFloat16AsFloat)
        #expect(CQ.fnv(try CQ.cast(all, to: s.type, saturate: false)) == s.allFloat16.noSaturate)
        #expect(CQ.fnv(try CQ.cast(all, to: s.type, saturate: true)) == s.allFloat16.saturate)
        let mid = try CQ.floats(CQ.float16Midpoints)
        #expect(CQ.fnv(try CQ.cast(mid, to: s.type, saturate: false)) == s.midpoints.noSaturate)
        #expect(CQ.fnv(try CQ.cast(mid, to: s.type, saturate: true)) == s.midpoints.saturate)
    }

    /// Every code decoded to float (NaNs compared as the canonical quiet NaN).
    @Test(arguments: sweeps)
    func decodingMatchesMlDtypes(_ s: Sweep) throws {
        let n = 1 << s.type.bitWidth
        let codes = try Tensor(s.type, shape: [n], values: (0..<n).map { UInt8($0) })
        let f = try CQ.cast(codes, to: .float).toArray(Float.self).map { $0.isNaN ? Float.nan : $0 }
        #expect(f.withUnsafeBytes { CQ.fnv($0) } == s.decode)
    }

    @Test func nodeTestSpecialValues() throws {
        let x = try CQ.floats([0.47892547, 0.48033667, 0.49968487, 0.81910545, 0.47031248, 0.7229038, 1000000, 1e-7,
                               .nan, .infinity, .infinity, -.infinity, -0.0000001, 0.0000001, -1000000], [3, 5])
        #expect(try CQ.cast(x, to: .float8e4m3fn).toArray(UInt8.self)
            == [0x2f, 0x2f, 0x30, 0x35, 0x2f, 0x34, 0x7e, 0x00, 0x7f, 0x7e, 0x7e, 0xfe, 0x80, 0x00, 0xfe])
        #expect(try CQ.cast(x, to: .float8e5m2, saturate: false).toArray(UInt8.self)
            == [0x38, 0x38, 0x38, 0x3b, 0x38, 0x3a, 0x7c, 0x00, 0x7e, 0x7c, 0x7c, 0xfc, 0x80, 0x00, 0xfc])
        #expect(try CQ.cast(x, to: .float8e4m3fnuz, saturate: false).toArray(UInt8.self)
            == [0x37, 0x37, 0x38, 0x3d, 0x37, 0x3c, 0x80, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00, 0x80])
    }

    @Test func float4NaNAndTies() throws {
        let x = try CQ.floats([0.48, 0.25, 1.05, -3.5, -8, 9, 1000000, 1e-7, .nan, .infinity, -.infinity, -4, 0.01, -0.0,
                               0.75, 1.25, 2.5, 5, 3.5, -.nan])
        #expect(try CQ.cast(x, to: .float4e2m1).toArray(UInt8.self)
            == [1, 0, 2, 14, 15, 7, 7, 0, 8, 7, 15, 14, 0, 8, 2, 2, 4, 6, 6, 0])
    }

    @Test(arguments: [(true, "up", [UInt8](arrayLiteral: 0, 124, 125, 126, 128, 128, 129, 130, 129, 128, 127, 254, 1, 1, 255, 255, 128, 130, 254)),
                      (true, "down", [0, 123, 125, 126, 127, 128, 129, 130, 128, 127, 126, 254, 0, 0, 255, 255, 128, 129, 254]),
                      (true, "nearest", [0, 124, 125, 126, 127, 128, 129, 130, 129, 128, 127, 254, 0, 0, 255, 255, 128, 130, 254]),
                      (false, "up", [0, 124, 125, 126, 128, 128, 129, 130, 129, 128, 127, 255, 1, 1, 255, 255, 128, 130, 254]),
                      (false, "down", [0, 123, 125, 126, 127, 128, 129, 130, 128, 127, 126, 254, 0, 0, 255, 255, 128, 129, 254]),
                      (false, "nearest", [0, 124, 125, 126, 127, 128, 129, 130, 129, 128, 127, 255, 0, 0, 255, 255, 128, 130, 254])])
    func e8m0RoundingModes(_ saturate: Bool, _ mode: String, _ expected: [UInt8]) throws {
        let x = try CQ.floats([0.0, 0.124, 0.25, 0.5, 1.1, 2.0, 4.0, 8.0, 3.0, 1.5, 0.75, 0x1p127 * 1.5, 0x1p-127, Float("1e-40")!, .infinity,
                               .nan, -2.0, 6.0, 0x1p127])
        #expect(try CQ.cast(x, to: .float8e8m0, saturate: saturate, roundMode: mode).toArray(UInt8.self) == expected)
    }

    @Test func e8m0Decodes() throws {
        let codes = try Tensor(.float8e8m0, shape: [5], values: [UInt8(0), 127, 128, 254, 255])
        let f = try CQ.cast(codes, to: .float).toArray(Float.self)
        #expect(f[0] == 0x1p-127 && f[1] == 1 && f[2] == 2 && f[3] == 0x1p127 && f[4].isNaN)
        let h = try CQ.cast(codes, to: .float16).toArray(UInt16.self)
        #expect(h == [0, 0x3c00, 0x4000, 0x7c00, 0x7e00])
    }
}

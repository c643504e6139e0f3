import ONNXGraph
import Testing
@testable import Ops

/// DynamicQuantizeLinear against ONNX Runtime 1.32 (CPU provider), bit for bit: y bytes (FNV-1a 64),
/// the scale's float bits and the zero point.
@Suite("Quantization: DynamicQuantizeLinear")
struct QuantizationDynamicTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let values: @Sendable () -> [Float]
        let shape: [Int]?
        let hash: UInt64, scaleBits: UInt32, zeroPoint: UInt8
        var description: String { name }
    }

    /// `(i * 7919 % 1000 - 400) / 97` in float32, for i in 0..<1000.
    static let base: [Float] = (0..<1000).map { Float(($0 * 7919) % 1000 - 400) / Float(97) }

    static let cases: [Case] = [
        Case(name: "mixed", values: { base }, shape: nil, hash: 0x5414_93a6_0baa_eded, scaleBits: 0x3d25_6e02, zeroPoint: 102),
        Case(name: "positive", values: { base.map { abs($0) + 0.25 } }, shape: nil, hash: 0xeb65_1a4d_8446_589c, scaleBits: 0x3cce_6a20, zeroPoint: 0),
        Case(name: "negative", values: { base.map { -abs($0) - 3 } }, shape: nil, hash: 0x8c9b_74d5_7d31_b069, scaleBits: 0x3d13_613c, zeroPoint: 255),
        Case(name: "zeros", values: { [Float](repeating: 0, count: 7) }, shape: nil, hash: 0x778b_1a14_b687_6aa7, scaleBits: 0x3f80_0000, zeroPoint: 0),
        Case(name: "tiny", values: { base.map { $0 * 1e-30 } }, shape: nil, hash: 0x5414_93a6_0baa_eded, scaleBits: 0x0b51_b503, zeroPoint: 102),
        Case(name: "large", values: { base.map { $0 * 3e30 } }, shape: nil, hash: 0x5414_93a6_0baa_eded, scaleBits: 0x6fc3_c064, zeroPoint: 102),
        Case(name: "node1", values: { [0, 2, -3, -2.5, 1.34, 0.5] }, shape: nil, hash: 0xd925_c2d6_3338_cad3, scaleBits: 0x3ca0_a0a1, zeroPoint: 153),
        Case(name: "node2", values: { [-1.0, -2.1, -1.3, -2.5, -3.34, -4.0] }, shape: nil, hash: 0x6d56_3b68_0cba_a4e3, scaleBits: 0x3c80_8081, zeroPoint: 255),
        Case(name: "node3", values: { [1, 2.1, 1.3, 2.5, 3.34, 4, 1.5, 2.6, 3.9, 4, 3, 2.345] }, shape: [3, 4], hash: 0xfdc1_194f_7feb_1aa3,
             scaleBits: 0x3c80_8081, zeroPoint: 0),
        Case(name: "ties", values: { [0.1, 0.2, 0.3, -0.7, 2.55, -0.35, 1.275, -1.275] }, shape: nil, hash: 0xca2b_47ca_4897_0cab,
             scaleBits: 0x3c75_c28f, zeroPoint: 85),
    ]

    @Test(arguments: cases)
    func matchesOnnxRuntime(_ c: Case) throws {
        let v = c.values()
        let x = try CQ.floats(v, c.shape)
        let out = try CQ.run("DynamicQuantizeLinear", opset: 11, [:], [x], outputs: 3)
        #expect(out[0].dataType == .uint8 && out[0].shape == x.shape)
        #expect(CQ.fnv(out[0]) == c.hash)
        #expect(out[1].dataType == .float && out[1].shape == [] && out[1].toArray(UInt32.self) == [c.scaleBits])
        #expect(out[2].dataType == .uint8 && out[2].shape == [] && out[2].toArray(UInt8.self) == [c.zeroPoint])
    }

    @Test func nodeTestValues() throws {
        let out = try CQ.run("DynamicQuantizeLinear", opset: 11, [:], [try CQ.floats([0, 2, -3, -2.5, 1.34, 0.5])], outputs: 3)
        #expect(out[0].toArray(UInt8.self) == [153, 255, 0, 26, 221, 179])
    }

    @Test func rejectsNonFloatAndHandlesNaNLikeOnnxRuntime() throws {
        #expect(throws: OpError.self) {
            try CQ.run("DynamicQuantizeLinear", opset: 11, [:], [try Tensor(.float16, shape: [1], values: [UInt16(0)])], outputs: 3)
        }
        // NaNs are left out of the range and quantize to 0 (ONNX Runtime gives the same bytes).
        let out = try CQ.run("DynamicQuantizeLinear", opset: 11, [:], [try CQ.floats([.nan, 1, -1, .nan])], outputs: 3)
        #expect(out[0].toArray(UInt8.self) == [0, 254, 0, 0] && out[2].toArray(UInt8.self) == [127])
        let mid = try CQ.run("DynamicQuantizeLinear", opset: 11, [:], [try CQ.floats([1, .nan, -1, 2])], outputs: 3)
        #expect(mid[0].toArray(UInt8.self) == [170, 0, 0, 255] && mid[2].toArray(UInt8.self) == [85])
        #expect(mid[1].toArray(Float.self) == [Float(0.011764706)])
        let empty = try CQ.run("DynamicQuantizeLinear", opset: 11, [:], [try CQ.floats([], [0, 3])], outputs: 3)
        #expect(empty[0].shape == [0, 3] && empty[1].toArray(Float.self) == [1] && empty[2].toArray(UInt8.self) == [0])
    }
}

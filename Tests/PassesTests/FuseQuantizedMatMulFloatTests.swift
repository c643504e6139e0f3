import Foundation
import Interpreter
import ONNXGraph
import ONNXLoader
import Ops
import Passes
import Testing

@Suite struct FuseQuantizedMatMulFloatTests {
    static let firing: [(String, Pattern.Options)] = [
        ("bias, per-tensor", Pattern.Options()),
        ("bias second operand", Pattern.Options(biasFirst: false)),
        ("per-column scale", Pattern.Options(perColumnScale: true)),
        ("per-column zero point and scale", Pattern.Options(perColumnScale: true, perColumnZeroPoint: true)),
        ("no bias", Pattern.Options(bias: false)),
        ("one row", Pattern.Options(m: 1, k: 64, n: 64)),
        ("tile edges", Pattern.Options(m: 7, k: 259, n: 65)),
        ("empty rows", Pattern.Options(m: 0)),
    ]

    @Test(arguments: firing)
    func firesAndKeepsOutputsBitIdentical(_ label: String, _ o: Pattern.Options) throws {
        let model = try Pattern.model(o)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.rewrites("FuseQuantizedMatMulFloat") == 1, "\(label)")
        #expect(report.converged)
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h[Pattern.fused] == 1)
        #expect(h["MatMulInteger"] == nil && h["Cast"] == nil && h["Mul"] == nil && h["Add"] == nil, "\(h)")
        #expect(rewritten.opsetImports["ai.onnxrun"] == 1)
        // The caller's model is untouched.
        #expect(Fixtures.histogram(model.graph)["MatMulInteger"] == 1 && model.opsetImports["ai.onnxrun"] == nil)
        for seed in UInt64(1)...4 {
            let (plain, passed) = try runBothWays(model, try Pattern.feeds(o, seed: seed))
            #expect(Fixtures.bitIdentical(plain, passed), "\(label) seed \(seed)")
        }
    }

    static let nearMisses: [(String, Pattern.Options, Int)] = [
        // (label, options, rewrites expected: 0 = untouched)
        ("Cast to float16", Pattern.Options(castTo: Int(DataType.float16.rawValue)), 0),
        ("Mul by an activation", Pattern.Options(mulByActivation: true), 0),
        ("integer product read twice", Pattern.Options(integerReadTwice: true), 0),
        ("Cast output is a graph output", Pattern.Options(castIsOutput: true), 0),
    ]

    @Test(arguments: nearMisses)
    func leavesNearMissesAlone(_ label: String, _ o: Pattern.Options, _ expected: Int) throws {
        let model = try Pattern.model(o)
        let before = Fixtures.histogram(model.graph)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == expected, "\(label)")
        #expect(Fixtures.histogram(rewritten.graph) == before, "\(label)")
        #expect(rewritten.opsetImports["ai.onnxrun"] == nil)
        if o.castTo == Int(DataType.float.rawValue) {
            let (plain, passed) = try runBothWays(model, try Pattern.feeds(o, seed: 7))
            #expect(Fixtures.bitIdentical(plain, passed), "\(label)")
        }
    }

    @Test func stopsBeforeAGraphOutputInTheMiddle() throws {
        // Mul's output is exported: the fusion ends at the Mul and the Add stays.
        let o = Pattern.Options(mulIsOutput: true)
        let model = try Pattern.model(o)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 1)
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h[Pattern.fused] == 1 && h["Add"] == 1 && h["MatMulInteger"] == nil)
        let (plain, passed) = try runBothWays(model, try Pattern.feeds(o, seed: 3))
        #expect(Fixtures.bitIdentical(plain, passed))
    }

    @Test func keepsAScaleProductThatIsReadElsewhere() throws {
        // s = Mul(x_scale, W_scale) is also a graph output: it stays, and the fused op reads s itself
        // (its shape, a scalar, follows from its operands).
        let o = Pattern.Options(scaleIsOutput: true)
        let model = try Pattern.model(o)
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 1)
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h[Pattern.fused] == 1 && h["Mul"] == 1)
        let (plain, passed) = try runBothWays(model, try Pattern.feeds(o, seed: 5))
        #expect(Fixtures.bitIdentical(plain, passed))
    }

    @Test func needsKnownScaleShapes() throws {
        // The scale product is read twice and a fact says it is [m, n] (per element, not per column).
        let o = Pattern.Options(m: 4, n: 4, scaleIsOutput: true)
        let model = try Pattern.model(o)
        model.graph.valueInfo["s"] = TensorType(.float, shape: [4, 4])
        let (_, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 0)
    }

    @Test func isIdempotent() throws {
        var model = try Pattern.model(Pattern.Options())
        let first = try PassPipeline.standard.run(on: &model)
        #expect(first.totalRewrites == 1 && first.iterations == 2 && first.converged)
        let nodes = model.graph.nodes.map { "\($0.opType)\($0.inputs)\($0.outputs)" }
        let second = try PassPipeline.standard.run(on: &model)
        #expect(second.totalRewrites == 0 && second.iterations == 1)
        #expect(model.graph.nodes.map { "\($0.opType)\($0.inputs)\($0.outputs)" } == nodes)
    }

    @Test func needsTheFusedOpInTheRegistry() throws {
        let model = try Pattern.model(Pattern.Options())
        let (_, report) = try PassPipeline.standard.run(copying: model, registry: OpRegistry(StandardOpsWithout.fused))
        #expect(report.totalRewrites == 0)
    }

    @Test func recursesIntoIfBranchesReadingOuterWeights() throws {
        // The pattern inside both branches of an If; weights are initializers of the main graph.
        let inner = try Pattern.model(Pattern.Options()).graph
        func branch(_ name: String) -> Graph {
            let g = Graph(name: name, outputs: [ValueInfo(name: "y_\(name)", type: nil)],
                          nodes: inner.nodes.map { n in
                              var n = n
                              n.outputs = n.outputs.map { $0 == "y" ? "y_\(name)" : $0 + "_\(name)" }
                              n.inputs = n.inputs.map { ["x", "W", "W_zp", "W_scale", "bias"].contains($0) ? $0 : $0 + "_\(name)" }
                              return n
                          })
            return g
        }
        let ifNode = Node(name: "if", opType: "If", inputs: ["cond"], outputs: ["y"],
                          attributes: ["then_branch": .graph(branch("then")), "else_branch": .graph(branch("else"))])
        let g = Graph(name: "main",
                      inputs: inner.inputs + [ValueInfo(name: "cond", type: TensorType(.bool, shape: []))],
                      outputs: [ValueInfo(name: "y", type: nil)],
                      initializers: inner.initializerOrder.compactMap { n in inner.initializers[n].map { (n, $0) } },
                      nodes: [ifNode])
        let model = Model(irVersion: 10, opsetImports: ["": 21], graph: g)
        try model.graph.checkInvariants()
        let (rewritten, report) = try PassPipeline.standard.run(copying: model)
        #expect(report.totalRewrites == 2)
        #expect(Set(report.entries.map(\.graph)) == ["then", "else"])
        #expect(Fixtures.histogram(rewritten.graph)[Pattern.fused] == 2)
        #expect(Fixtures.histogram(model.graph)[Pattern.fused] == nil)
        for cond in [true, false] {
            var feeds = try Pattern.feeds(Pattern.Options(), seed: cond ? 11 : 12)
            feeds["cond"] = try Tensor(.bool, shape: [], values: [UInt8(cond ? 1 : 0)])
            let (plain, passed) = try runBothWays(model, feeds)
            #expect(Fixtures.bitIdentical(plain, passed))
        }
    }
}

/// The standard ops minus the fused one.
enum StandardOpsWithout {
    static var fused: [OpSchema] { OpRegistry.standard.all.filter { $0.domain != "ai.onnxrun" } }
}

@Suite struct SampleModelPassTests {
    static let models: [(String, Int)] = [
        ("encoder_model.onnx", 12), ("decoder_model.onnx", 21), ("decoder_with_past_model.onnx", 17),
    ]

    /// FuseQuantizedMatMulFloat alone keeps every output bit-identical (the standard pipeline also
    /// applies ONNX Runtime's rounding-changing fusions: OnnxRuntimeFusionParityTests).
    @Test(arguments: models)
    func fusesEveryQuantizedMatMulBitExactly(_ file: String, _ expected: Int) throws {
        let model = try ModelLoader.load(path: Fixtures.path("marian-tiny/int8/" + file))
        let quantized = PassPipeline([FuseQuantizedMatMulFloat()], checksInvariants: true)
        let (rewritten, report) = try quantized.run(copying: model)
        #expect(report.rewrites("FuseQuantizedMatMulFloat") == expected)
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h[Pattern.fused] == expected && h["MatMulInteger"] == nil)
        #expect(try quantized.run(copying: rewritten).1.totalRewrites == 0)
        for (batch, seed) in [(1, UInt64(1)), (2, 2), (3, 3)] {
            let dims = ["batch_size": batch, "encoder_sequence_length": 6 + batch, "decoder_sequence_length": batch,
                        "past_decoder_sequence_length": 4]
            let feeds = try Fixtures.feeds(model.graph.inputs, dims: dims, seed: seed)
            let plain = try Session(model: model, options: SessionOptions(passes: .none)).run(feeds)
            let passed = try Session(model: model, options: SessionOptions(passes: quantized)).run(feeds)
            #expect(Fixtures.bitIdentical(plain, passed), "\(file) batch \(batch)")
        }
    }

    /// The standard pipeline fuses what ONNX Runtime 1.32's default level fuses in these graphs (its
    /// optimized_model_filepath output): MatMulIntegerToFloat + DynamicQuantizeMatMul (our
    /// QuantizedMatMulFloat), SkipLayerNormalization, QuickGelu, FusedMatMul (scale; transB only where K is
    /// transposed by [0, 1, 3, 2], in decoder_with_past_model: the others use [0, 2, 3, 1]).
    @Test(arguments: [("encoder_model.onnx", 12, 2, 2, 0), ("decoder_model.onnx", 21, 2, 4, 0),
                      ("decoder_with_past_model.onnx", 17, 2, 4, 4)])
    func standardPipelineFusesWhatOnnxRuntimeFuses(_ file: String, _ quantized: Int, _ skip: Int, _ scaled: Int,
                                                   _ transposed: Int) throws {
        let model = try ModelLoader.load(path: Fixtures.path("marian-tiny/int8/" + file))
        let (rewritten, report) = try PassPipeline(PassPipeline.standard.passes, checksInvariants: true).run(copying: model)
        #expect(report.rewrites("FuseQuantizedMatMulFloat") == quantized)
        #expect(report.rewrites("FuseSkipLayerNormalization") == skip)
        #expect(report.rewrites("FuseMatMulScale") == scaled)
        #expect(report.rewrites("FuseMatMulTranspose") == transposed)
        #expect(report.rewrites("FuseQuickGelu") == 2)
        let h = Fixtures.histogram(rewritten.graph)
        #expect(h["ai.onnxrun::SkipLayerNormalization"] == skip && h["ai.onnxrun::FusedMatMul"] == scaled)
        #expect(try PassPipeline.standard.run(copying: rewritten).1.totalRewrites == 0)
    }

    @Test func consumingSessionRewritesInPlace() throws {
        let model = try ModelLoader.load(path: Fixtures.path("marian-tiny/int8/encoder_model.onnx"))
        let session = try Session(model: model, options: SessionOptions(consumesPackedInitializers: true, passes: .standard))
        #expect(session.passReport.totalRewrites == 18)
        #expect(Fixtures.histogram(model.graph)[Pattern.fused] == 12)
        let plain = try Session(model: ModelLoader.load(path: Fixtures.path("marian-tiny/int8/encoder_model.onnx")),
                                options: SessionOptions(passes: .none))
        #expect(plain.passReport.totalRewrites == 0)
        #expect(session.stepCount < plain.stepCount)
    }
}

import Foundation
import ONNXGraph
import ONNXLoader
import Ops
import Testing

@testable import Interpreter

/// A float32 elementwise add of two same-shape tensors, defined here so these tests depend on the
/// interpreter only, not on the op families.
struct TestAdd: Operator, Hashable {
    init(_ node: NodeAttributes) throws(OpError) {}
    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [inputs.first.flatMap { $0 } ?? .unknown]
    }
    func evaluate(_ io: inout OpIO) throws(OpError) {
        let a = try io.required(0), b = try io.required(1)
        guard a.shape == b.shape, a.dataType == .float, b.dataType == .float else { throw OpError.shape("mismatch") }
        let out = try io.allocate(.float, a.shape)
        let pa = a.elements(Float.self), pb = b.elements(Float.self), po = out.elements(Float.self)
        for i in 0..<a.count { po[i] = pa[i] + pb[i] }
        io.setOutput(0, out)
    }
}

let testRegistry: OpRegistry = {
    var r = OpRegistry.standard
    r.register(OpSchema(TestAdd.self, "TestAdd", domain: "test"))
    return r
}()

func floats(_ values: [Float], _ shape: [Int]) throws -> Tensor { try Tensor(.float, shape: shape, values: values) }
func add(_ a: String, _ b: String, _ out: String, name: String = "") -> Node {
    Node(name: name.isEmpty ? out : name, opType: "TestAdd", domain: "test", inputs: [a, b], outputs: [out])
}
let opsets = ["": 21, "test": 1]

@Suite struct SessionTests {
    @Test func runsAChainAndFoldsConstants() throws {
        // y = (x + (w + w)); w + w depends only on an initializer and is folded at plan time.
        let g = Graph(name: "main",
                      inputs: [ValueInfo(name: "x", type: TensorType(.float, shape: [2]))],
                      outputs: [ValueInfo(name: "y", type: nil)],
                      initializers: [("w", try floats([1, 2], [2]))],
                      nodes: [add("x", "ww", "y"), add("w", "w", "ww")])  // out of order on purpose
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry))
        #expect(session.stepCount == 1)
        for _ in 0..<3 {  // buffers are recycled between runs; results must not change
            let y = try session.run(["x": floats([10, 20], [2])])["y"]
            #expect(y?.toArray(Float.self) == [12, 24])
        }
        #expect(session.valueTypes["y"] == TensorType(.float, shape: [2]))
    }

    @Test func ifRunsTheChosenBranchWithCapturedValues() throws {
        let thenG = Graph(name: "then", outputs: [ValueInfo(name: "t", type: nil)], nodes: [add("x", "x", "t")])
        let elseG = Graph(name: "else", outputs: [ValueInfo(name: "e", type: nil)], nodes: [add("x", "one", "e")])
        let ifNode = Node(name: "if", opType: "If", inputs: ["cond"], outputs: ["y"],
                          attributes: ["then_branch": .graph(thenG), "else_branch": .graph(elseG)])
        let g = Graph(name: "main",
                      inputs: [ValueInfo(name: "cond", type: TensorType(.bool, shape: [1])),
                               ValueInfo(name: "x", type: TensorType(.float, shape: [1]))],
                      outputs: [ValueInfo(name: "y", type: nil)],
                      initializers: [("one", try floats([1], [1]))], nodes: [ifNode])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry))
        let x = try floats([5], [1])
        let yes = try Tensor(.bool, shape: [1], values: [UInt8(1)]), no = try Tensor(.bool, shape: [1], values: [UInt8(0)])
        #expect(try session.run(["cond": yes, "x": x])["y"]?.toArray(Float.self) == [10])
        #expect(try session.run(["cond": no, "x": x])["y"]?.toArray(Float.self) == [6])
    }

    @Test func unsupportedOpIsNamedAtPlanTime() throws {
        let g = Graph(name: "main", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                      nodes: [Node(name: "n1", opType: "FancyOp", domain: "com.example", inputs: ["x"], outputs: ["y"])])
        let error = #expect(throws: InterpreterError.self) {
            try Session(model: Model(irVersion: 10, opsetImports: ["": 21, "com.example": 3], graph: g))
        }
        let message = error?.description ?? ""
        #expect(message.contains("FancyOp") && message.contains("com.example") && message.contains("opset 3")
                && message.contains("n1"))
    }

    @Test(arguments: [
        (["x": [Float]([1, 2, 3])], [3], "no such input"),
        ([:], [2], "missing"),
        (["x": [Float]([1])], [1], "dimension 0"),
        (["x": [Float]([1, 2])], [1, 2], "rank"),
    ] as [([String: [Float]], [Int], String)])
    func badInputsAreNamed(feed: [String: [Float]], shape: [Int], expected: String) throws {
        let g = Graph(name: "main", inputs: [ValueInfo(name: "x", type: TensorType(.float, shape: [2]))],
                      outputs: [ValueInfo(name: "y", type: nil)], nodes: [add("x", "x", "y")])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry))
        var feeds: [String: Tensor] = [:]
        for (k, v) in feed { feeds[k == "x" && expected == "no such input" ? "z" : k] = try floats(v, shape) }
        let error = #expect(throws: InterpreterError.self) { try session.run(feeds) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
    }

    /// As in ONNX Runtime, a symbolic dimension may take different values in different inputs
    /// (exports rely on it); the op that cannot handle the shapes says so.
    @Test func symbolicDimensionsMayDifferAcrossInputs() throws {
        let t = TensorType(.float, [.symbol("n")])
        let g = Graph(name: "main", inputs: [ValueInfo(name: "a", type: t), ValueInfo(name: "b", type: t)],
                      outputs: [ValueInfo(name: "y", type: nil)], nodes: [add("a", "b", "y")])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry))
        let error = #expect(throws: InterpreterError.self) {
            try session.run(["a": floats([1, 2], [2]), "b": floats([1, 2, 3], [3])])
        }
        #expect(error?.description.contains("node 'y' (test::TestAdd)") == true, "\(error?.description ?? "")")
    }

    @Test func wrongElementTypeIsNamed() throws {
        let g = Graph(name: "main", inputs: [ValueInfo(name: "x", type: TensorType(.float, shape: [1]))],
                      outputs: [ValueInfo(name: "y", type: nil)], nodes: [add("x", "x", "y")])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry))
        let error = #expect(throws: InterpreterError.self) {
            try session.run(["x": Tensor(.int64, shape: [1], values: [Int64(1)])])
        }
        #expect(error?.description.contains("expected element type float, got int64") == true)
    }

    @Test func bufferPoolRecyclesOnlyUnsharedStorage() throws {
        let pool = BufferPool()
        let a = try pool.allocate(.float, shape: [10])
        var storage = a.storage
        let view = try a.reshaped([2, 5])
        pool.recycle(&storage)  // still referenced by `a` and `view`: must not be reused
        let b = try pool.allocate(.float, shape: [10])
        #expect(b.storage !== view.storage)
        #expect(BufferPool.sizeClass(1) == 64 && BufferPool.sizeClass(65) == 128 && BufferPool.sizeClass(128) == 128)
    }
}

@Suite struct LoopTests {
    /// Loop with trip count 3 over a carried sum and a scan output:
    /// body(i, cond, acc) = (cond, acc + x, acc + x) with x captured from the outer graph.
    @Test func carriesValuesAndStacksScanOutputs() throws {
        let body = Graph(name: "body",
                         inputs: [ValueInfo(name: "i", type: TensorType(.int64, shape: [])),
                                  ValueInfo(name: "c", type: TensorType(.bool, shape: [])),
                                  ValueInfo(name: "acc", type: nil)],
                         outputs: [ValueInfo(name: "c_out", type: nil), ValueInfo(name: "acc_out", type: nil),
                                   ValueInfo(name: "scan", type: nil)],
                         nodes: [Node(name: "keep", opType: "Identity", inputs: ["c"], outputs: ["c_out"]),
                                 add("acc", "x", "acc_out"),
                                 Node(name: "copy", opType: "Identity", inputs: ["acc_out"], outputs: ["scan"])])
        let loop = Node(name: "loop", opType: "Loop", inputs: ["M", "", "start"], outputs: ["final", "all"],
                        attributes: ["body": .graph(body)])
        let g = Graph(name: "main",
                      inputs: [ValueInfo(name: "x", type: TensorType(.float, shape: [2])),
                               ValueInfo(name: "start", type: TensorType(.float, shape: [2]))],
                      outputs: [ValueInfo(name: "final", type: nil), ValueInfo(name: "all", type: nil)],
                      initializers: [("M", try Tensor(.int64, shape: [], values: [Int64(3)]))], nodes: [loop])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry))
        let out = try session.run(["x": floats([1, 10], [2]), "start": floats([0, 0], [2])])
        #expect(out["final"]?.toArray(Float.self) == [3, 30])
        #expect(out["all"]?.shape == [3, 2])
        #expect(out["all"]?.toArray(Float.self) == [1, 10, 2, 20, 3, 30])
    }
}

@Suite struct PrepackingTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/sample/model.onnx").path

    /// The sample's constant weights (fp32 W1 of a MatMul, int8 W2 of a MatMulInteger) are packed
    /// when the plan is built, and the plan keeps no unpacked copy of them.
    @Test func constantWeightsArePackedAndTheirOriginalsDropped() throws {
        let model = try ModelLoader.load(path: PrepackingTests.sample)
        let plan = try ExecutionPlan(graph: model.graph, opsets: model.opsetImports, registry: .standard)
        let kept = Set(plan.constants.map(\.slot))
        for name in ["W1", "W2"] {
            let slot = try #require(plan.slotOf[name])
            #expect(!kept.contains(slot), "\(name) is still a plan constant")
        }
        let packed = plan.steps.compactMap { ($0.op as? any PrepacksConstantInput)?.prepackedB }
        #expect(packed.count == 2)
    }

    @Test func consumingSessionsRemovePackedWeightsFromTheModel() throws {
        let kept = try ModelLoader.load(path: PrepackingTests.sample)
        _ = try Session(model: kept)
        #expect(kept.graph.initializers["W1"] != nil && kept.graph.initializers["W2"] != nil)

        let consumed = try ModelLoader.load(path: PrepackingTests.sample)
        let session = try Session(model: consumed, options: SessionOptions(consumesPackedInitializers: true))
        #expect(consumed.graph.initializers["W1"] == nil && consumed.graph.initializers["W2"] == nil)
        #expect(consumed.graph.initializers["b1"] != nil)  // not packed: still the model's
        let x = try Tensor(.float, shape: [1, 2, 16], values: (0..<32).map { Float($0) / 10 })
        let a = try Session(model: ModelLoader.load(path: PrepackingTests.sample)).run(["x": x])
        let b = try session.run(["x": x])
        #expect(a["y"]?.toArray(Float.self) == b["y"]?.toArray(Float.self))
    }

    /// A merged decoder's weights live in the outer graph and are read by both If branches: each
    /// branch plan packs them as its own constants, and the two branches share one packed copy.
    @Test func weightsCapturedByIfBranchesArePackedOnce() throws {
        let path = URL(fileURLWithPath: PrepackingTests.sample).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("marian-tiny/decoder_model_merged.onnx").path
        let model = try ModelLoader.load(path: path)
        let plan = try ExecutionPlan(graph: model.graph, opsets: model.opsetImports, registry: .standard)
        let branches = Array(plan.subplans.values)
        #expect(branches.count == 2)
        let packed = branches.map { $0.steps.compactMap { ($0.op as? any PrepacksConstantInput)?.prepackedB } }
        #expect(packed.allSatisfy { !$0.isEmpty })
        let first = Set(packed[0]), second = Set(packed[1])  // PrepackedB compares by packed-object identity
        #expect(!first.isDisjoint(with: second), "the branches should share packed weights")
    }
}

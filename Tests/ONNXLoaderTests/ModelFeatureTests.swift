import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

@Suite struct ModelFeatureTests {
    @Test func symbolicDimsAndNonTensorValues() throws {
        let g = try ModelLoader.load(path: Fixture.path("symbolic.onnx")).graph
        #expect(g.inputs.map(\.name) == ["x"])
        #expect(g.inputs[0].type == TensorType(.float, [.symbol("N"), .value(3), .unknown]))
        #expect(g.outputs[0].type == TensorType(.float, [.symbol("N"), .value(3), .unknown]))
        #expect(g.outputs[1].name == "s" && g.outputs[1].type == nil)
        #expect(g.valueInfo["r"] == TensorType(.float, [.symbol("N"), .value(3), .symbol("W")]))
        #expect(g.nodes.map(\.opType) == ["Relu", "Neg", "SequenceConstruct"])
        #expect(g.nodes[0].label == "node 'relu' (Relu)")
    }

    @Test func ifSubgraphs() throws {
        let g = try ModelLoader.load(path: Fixture.path("if.onnx")).graph
        #expect(g.nodes.count == 1)
        let node = g.nodes[0]
        #expect(node.opType == "If" && node.inputs == ["cond"] && node.outputs == ["out"])
        guard case .graph(let then)? = node.attributes["then_branch"],
              case .graph(let els)? = node.attributes["else_branch"] else {
            Issue.record("branches missing: \(node.attributes.keys.sorted())")
            return
        }
        #expect(then.name == "then" && then.nodes.map(\.opType) == ["Add"] && then.nodes[0].inputs == ["a", "a"])
        #expect(els.name == "else" && els.nodes.map(\.opType) == ["Neg"])
        #expect(then.capturedValues == ["a"] && els.capturedValues == ["a"])
        #expect(then.outputs.map(\.name) == ["t_out"])
        #expect(g.totalNodeCount == 3)
    }

    /// AddScale(x, y; alpha = 2) = Twice(x) + y, times alpha; Twice(z) = z + z. Called twice, the
    /// second time with alpha = 0.5 and on the first call's output.
    @Test func modelLocalFunctionsAreInlined() throws {
        let model = try ModelLoader.load(path: Fixture.path("function.onnx"))
        let g = model.graph
        #expect(g.nodes.map(\.opType) == ["Add", "Add", "Constant", "Mul", "Add", "Add", "Constant", "Mul"])
        #expect(g.nodes.allSatisfy { $0.domain == "" })
        let n = g.nodes
        // First call: formal x, y → p, q; output → r1; internal names unique per call.
        #expect(n[0].inputs == ["p", "p"])
        #expect(n[1].inputs == [n[0].outputs[0], "q"])
        #expect(n[3].inputs == [n[1].outputs[0], n[2].outputs[0]] && n[3].outputs == ["r1"])
        // Second call reads r1 and writes r2.
        #expect(n[4].inputs == ["r1", "r1"])
        #expect(n[7].outputs == ["r2"])
        let outputs = n.flatMap(\.outputs)
        #expect(Set(outputs).count == outputs.count)
        #expect(!outputs.contains("t") && !outputs.contains("alpha"))
        // alpha: the function's default, then the caller's value.
        guard case .float(let a1)? = n[2].attributes["value_float"],
              case .float(let a2)? = n[6].attributes["value_float"] else {
            Issue.record("Constant attributes: \(n[2].attributes.keys.sorted()), \(n[6].attributes.keys.sorted())")
            return
        }
        #expect(a1 == 2.0 && a2 == 0.5)
        #expect(model.opset("local") == 1 && model.opset("") == 21)
    }

    @Test func externalData() throws {
        let g = try ModelLoader.load(path: Fixture.path("external.onnx")).graph
        let w = try #require(g.initializers["w"])
        #expect(w.shape == [3, 4] && w.dataType == .float)
        #expect(w.hex == Fixture.json("external_expected.json")["hex"] as? String)
        #expect(w.toArray(Float.self) == (0..<12).map { Float($0) / 8 })
    }

    /// Aligned external data is viewed in place, once: a second tensor on the same bytes gets a copy.
    @Test func externalDataViewsDoNotAlias() throws {
        let g = try ModelLoader.load(path: Fixture.path("external_shared.onnx")).graph
        let w = try #require(g.initializers["w"]), w2 = try #require(g.initializers["w2"])
        #expect(w.toArray(Float.self) == w2.toArray(Float.self))
        #expect(w.data != w2.data)
        #expect(Int(bitPattern: w.data) % TensorStorage.alignment == 0)
        #expect(Int(bitPattern: w2.data) % TensorStorage.alignment == 0)
    }

    @Test func externalDataNeedsABaseDirectory() {
        let bytes = Fixture.bytes("external.onnx")
        let error = loadError { () throws(LoadError) in
            try withBytes(bytes) { (b) throws(LoadError) in
                try ModelLoader.load(bytes: b, name: "mem", baseDirectory: nil)
            }
        }
        guard case .externalData(let why)? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(why.contains("base directory"))
        #expect(error?.context == ["mem", "graph 'ext'", "tensor 'w'"])
    }

    @Test func loadFromBytesWithBaseDirectory() throws {
        let bytes = Fixture.bytes("external.onnx")
        let model = try withBytes(bytes) { (b) throws(LoadError) in
            try ModelLoader.load(bytes: b, name: "mem", baseDirectory: Fixture.directory)
        }
        #expect(model.graph.initializers["w"]?.count == 12)
    }
}

import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

/// Every AttributeProto type, Constant nodes, sparse tensors (densified), Loop bodies, and
/// function-inlining edge cases.
@Suite struct AttributeTests {
    static let graph: Graph? = try? ModelLoader.load(path: Fixture.path("attributes.onnx")).graph

    static func attribute(_ name: String) -> AttributeValue? {
        graph?.nodes.first { $0.opType == "AllAttrs" }?.attributes[name]
    }

    @Test func scalarsAndLists() {
        guard case .float(let f)? = Self.attribute("f"), case .int(let i)? = Self.attribute("i"),
              case .string(let s)? = Self.attribute("s"), case .floats(let fs)? = Self.attribute("floats"),
              case .ints(let iS)? = Self.attribute("ints"), case .strings(let ss)? = Self.attribute("strings") else {
            Issue.record("attributes: \(Self.graph?.nodes.first?.attributes.keys.sorted() ?? [])")
            return
        }
        #expect(f == 0.25 && i == -3 && s == "text")
        #expect(fs == [1.0, 2.5] && iS == [4, 5, 6] && ss == ["a", "bc"])
        #expect(Self.graph?.nodes.first { $0.opType == "AllAttrs" }?.domain == "com.example")
    }

    @Test func tensorsAndGraphs() {
        guard case .tensor(let t)? = Self.attribute("t"), case .tensors(let ts)? = Self.attribute("tensors"),
              case .graph(let g)? = Self.attribute("g"), case .graphs(let gs)? = Self.attribute("graphs") else {
            Issue.record("tensor/graph attributes missing")
            return
        }
        #expect(t.dataType == .int32 && t.shape == [2, 2] && t.toArray(Int32.self) == [1, 2, 3, 4])
        #expect(ts.count == 2 && ts[1].toArray(Int32.self) == [1, 2, 3, 4])
        #expect(g.name == "body" && g.nodes.map(\.opType) == ["Identity"] && g.capturedValues == ["x"])
        #expect(gs.count == 1 && gs[0].outputs.map(\.name) == ["gy"])
    }

    @Test func sparseTensorsAreDensified() {
        guard case .sparseTensor(let s)? = Self.attribute("sparse"),
              case .sparseTensors(let ss)? = Self.attribute("sparses") else {
            Issue.record("sparse attributes missing")
            return
        }
        // values [5, 7] at linear indices [1, 5] of a [2, 3] tensor.
        #expect(s.shape == [2, 3] && s.toArray(Float.self) == [0, 5, 0, 0, 0, 7])
        // values [9, 8] at coordinates (0, 2), (1, 0).
        #expect(ss.count == 1 && ss[0].toArray(Int64.self) == [0, 0, 9, 8, 0, 0])
        // Sparse initializer: [1.5, -2.5, 3.5] at linear indices 0, 4, 11 of [3, 4].
        let dense = Self.graph?.initializers["sp_init"]
        #expect(dense?.shape == [3, 4])
        #expect(dense?.toArray(Float.self) == [1.5, 0, 0, 0, -2.5, 0, 0, 0, 0, 0, 0, 3.5])
    }

    @Test func typeProtos() {
        guard case .type(let t)? = Self.attribute("tp"), case .types(let ts)? = Self.attribute("tps") else {
            Issue.record("type attributes missing")
            return
        }
        #expect(t == TensorType(.int64, [.symbol("B"), .value(4)]))
        #expect(ts == [TensorType(.int64, [.symbol("B"), .value(4)]), .unknown])
    }

    @Test func constantNodesStayNodes() {
        let consts = Self.graph?.nodes.filter { $0.opType == "Constant" } ?? []
        #expect(consts.map(\.outputs) == [["c"], ["csp"]])
        guard case .tensor(let v)? = consts.first?.attributes["value"],
              case .sparseTensor(let sv)? = consts.last?.attributes["sparse_value"] else {
            Issue.record("Constant attributes missing")
            return
        }
        #expect(v.toArray(Int32.self) == [1, 2, 3, 4])
        #expect(sv.toArray(Int64.self) == [0, 0, 9, 8, 0, 0])
        #expect(Self.graph?.initializers["c"] == nil)
    }

    @Test func loopBody() throws {
        let g = try ModelLoader.load(path: Fixture.path("loop.onnx")).graph
        guard case .graph(let body)? = g.nodes.first?.attributes["body"] else {
            Issue.record("Loop body missing")
            return
        }
        #expect(body.inputs.map(\.name) == ["iter", "cond_in", "v_in"])
        #expect(body.capturedValues == ["step"])
        #expect(body.inputs[0].type == TensorType(.int64, shape: []))
    }

    @Test func recursiveFunctionIsRejected() {
        let error = loadError { () throws(LoadError) in try ModelLoader.load(path: Fixture.path("bad_recursive_function.onnx")) }
        guard case .functionInlining(let why)? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(why.contains("local::Rec calls itself"))
        #expect(error?.context.prefix(3) == [Fixture.path("bad_recursive_function.onnx"), "graph 'recursive'",
                                             "node 'call' (local::Rec)"])
    }

    /// Pass(u) = (u, -u): the first output is the input itself, the second is not wanted by the call.
    @Test func functionOutputThatIsItsInput() throws {
        let g = try ModelLoader.load(path: Fixture.path("function_passthrough.onnx")).graph
        #expect(g.nodes.map(\.opType) == ["Neg", "Identity"])
        #expect(g.nodes[0].inputs == ["a"] && g.nodes[0].outputs != ["b"])
        #expect(g.nodes[1].inputs == ["a"] && g.nodes[1].outputs == ["b"])
    }
}

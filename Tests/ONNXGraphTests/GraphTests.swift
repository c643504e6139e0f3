import Testing

@testable import ONNXGraph

private func node(_ name: String, _ inputs: [String], _ outputs: [String]) -> Node {
    Node(name: name, opType: "Op", inputs: inputs, outputs: outputs)
}

@Suite struct GraphTests {
    @Test func sortsNodesTopologicallyAndStably() throws {
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "z", type: nil)],
                      nodes: [node("c", ["y", "w"], ["z"]), node("a", ["x"], ["y"]), node("b", ["x"], ["w"])])
        try g.sortTopologically()
        #expect(g.nodes.map(\.name) == ["a", "b", "c"])
        try g.checkInvariants()
    }

    @Test func detectsCycles() {
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "b", type: nil)],
                      nodes: [node("n1", ["x", "b"], ["a"]), node("n2", ["a"], ["b"])])
        let error = #expect(throws: GraphError.self) { try g.sortTopologically() }
        guard case .cycle(let nodes)? = error?.kind else { Issue.record("expected a cycle"); return }
        #expect(Set(nodes) == ["n1", "n2"])
    }

    @Test func invariantsNameUndefinedAndDuplicateValues() {
        let undefined = Graph(name: "g", outputs: [ValueInfo(name: "y", type: nil)], nodes: [node("n", ["ghost"], ["y"])])
        let e1 = #expect(throws: GraphError.self) { try undefined.checkInvariants() }
        #expect(e1?.kind == .undefinedValue("ghost"))
        #expect(e1?.description.contains("node 'n'") == true)

        let twice = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                          nodes: [node("a", ["x"], ["y"]), node("b", ["x"], ["y"])])
        let e2 = #expect(throws: GraphError.self) { try twice.checkInvariants() }
        #expect(e2?.kind == .duplicateDefinition("y"))

        let noOutput = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "q", type: nil)])
        #expect(throws: GraphError.self) { try noOutput.checkInvariants() }
    }

    @Test func subgraphsMayReadOuterValuesOnly() throws {
        let sub = Graph(name: "then", outputs: [ValueInfo(name: "t", type: nil)], nodes: [node("s", ["x"], ["t"])])
        let ifNode = Node(name: "if", opType: "If", inputs: ["c"], outputs: ["y"], attributes: ["then_branch": .graph(sub)])
        let g = Graph(name: "g", inputs: [ValueInfo(name: "c", type: nil), ValueInfo(name: "x", type: nil)],
                      outputs: [ValueInfo(name: "y", type: nil)], nodes: [ifNode])
        try g.checkInvariants()
        #expect(sub.capturedValues == ["x"])
        g.inputs.removeLast()
        #expect(throws: GraphError.self) { try g.checkInvariants() }
    }

    @Test func patchReplacesNodesRewiresAndRemovesDeadOnes() throws {
        // x → a → b → y becomes x → f → y; the dead node d is removed afterwards.
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                      nodes: [node("a", ["x"], ["ya"]), node("b", ["ya"], ["yb"]), node("c", ["yb"], ["y"]),
                              node("d", ["x"], ["unused"])])
        try g.apply(GraphPatch(removedNodes: [0, 1], insertedNodes: [node("f", ["x"], ["yf"])], rewiredValues: ["yb": "yf"]))
        #expect(g.nodes.map(\.name) == ["f", "c", "d"])
        #expect(g.nodes[1].inputs == ["yf"])
        #expect(g.removeDeadNodes() == 1)
        #expect(g.nodes.map(\.name) == ["f", "c"])
        try g.checkInvariants()
    }

    @Test func elementCountsRejectNegativeAndOverflowingShapes() {
        #expect(throws: GraphError.self) { try Tensor.elementCount([2, -1]) }
        #expect(throws: GraphError.self) { try Tensor.elementCount([Int.max, 3]) }
        #expect(throws: GraphError.self) { try Tensor(allocating: .float, shape: [1 << 40, 1 << 30]) }
        #expect((try? Tensor.elementCount([])) == 1)
        #expect((try? Tensor.elementCount([3, 0, 5])) == 0)
    }

    @Test func storageIsAlignedAndViewsShareIt() throws {
        let t = try Tensor(.float, shape: [2, 3], values: [Float](repeating: 1.5, count: 6))
        #expect(Int(bitPattern: t.data) % TensorStorage.alignment == 0)
        let v = try t.reshaped([3, 2])
        #expect(v.storage === t.storage && v.toArray(Float.self) == t.toArray(Float.self))
        #expect(throws: GraphError.self) { try t.reshaped([4]) }
    }

    @Test func packedSizesOfSubByteTypes() {
        #expect(DataType.int4.packedByteCount(elements: 5) == 3)
        #expect(DataType.uint2.packedByteCount(elements: 5) == 2)
        #expect(DataType.float.packedByteCount(elements: 3) == 12)
        #expect(DataType.int4.storageSize == 1 && DataType.bfloat16.storageSize == 2)
        #expect(DataType.float8e5m2.description == "float8e5m2")
    }
}

import ONNXGraph
import Ops
import Passes
import Testing

/// Replaces every Identity with a fresh Identity: always fires, so it never reaches a fixpoint.
struct RestlessPass: Pass {
    var name: String { "Restless" }
    func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.graph.nodes.enumerated().filter { $0.element.opType == "Identity" }.map { i, node in
            Rewrite(GraphPatch(removedNodes: [i], insertedNodes: [Node(name: node.name + "'", opType: "Identity",
                                                                       inputs: node.inputs, outputs: node.outputs)]),
                    summary: node.label)
        }
    }
}

/// Removes every Neg without rewiring its readers: an invalid rewrite.
struct BrokenPass: Pass {
    var name: String { "Broken" }
    func rewrites(in scope: PassScope) throws(PassError) -> [Rewrite] {
        scope.graph.nodes.indices.filter { scope.graph.nodes[$0].opType == "Neg" }.map {
            Rewrite(GraphPatch(removedNodes: [$0]), summary: "drop")
        }
    }
}

@Suite struct PassPipelineTests {
    static func model() -> Model {
        let g = Graph(name: "g", inputs: [ValueInfo(name: "x", type: TensorType(.float, shape: [2]))],
                      outputs: [ValueInfo(name: "z", type: nil)],
                      nodes: [Node(name: "id", opType: "Identity", inputs: ["x"], outputs: ["y"]),
                              Node(name: "neg", opType: "Neg", inputs: ["y"], outputs: ["z"])])
        return Model(irVersion: 10, opsetImports: ["": 21], graph: g)
    }

    @Test func stopsAtTheIterationBoundAndSaysSo() throws {
        var m = Self.model()
        let report = try PassPipeline([RestlessPass()], maximumIterations: 3).run(on: &m)
        #expect(report.iterations == 3 && !report.converged && report.rewrites("Restless") == 3)
        #expect(report.lines().first == "passes: 3 iterations, 3 rewrites (no fixpoint: stopped at the iteration bound)")
        try m.graph.checkInvariants()
    }

    @Test func anInvalidRewriteIsAnErrorNamingThePass() {
        var m = Self.model()
        #expect(throws: PassError.self) { try PassPipeline([BrokenPass()], checksInvariants: true).run(on: &m) }
        do {
            _ = try PassPipeline([BrokenPass()], checksInvariants: true).run(on: &m)
        } catch {
            #expect(error.pass == "Broken")
        }
    }

    @Test func anEmptyPipelineReportsNothing() throws {
        var m = Self.model()
        let report = try PassPipeline.none.run(on: &m)
        #expect(report.totalRewrites == 0 && report.iterations == 0 && report.converged)
        #expect(m.graph.nodes.count == 2)
    }
}

import ONNXGraph
import Ops
import Testing

@testable import Interpreter

/// Runs its `body` attribute (no inputs) and outputs its results, failing on a padded one: a
/// control-flow op that does not accept padded values, as `Loop`.
struct TestRunBody: Operator, Hashable {
    let body: GraphIdentity
    init(_ node: NodeAttributes) throws(OpError) { body = GraphIdentity(try node.requiredGraph("body")) }
    func evaluate(_ io: inout OpIO) throws(OpError) {
        guard let runner = io.subgraphs else { throw OpError(.subgraph("no runner")) }
        for (i, t) in try runner.run(body.graph, inputs: []).enumerated() {
            guard t.isDense else { throw OpError.value("subgraph result #\(i) is padded") }
            io.setOutput(i, t)
        }
    }
}

/// Padded feeds (KV caches) through a session: Concat appends in place, ops without padded support
/// (TestAdd, which walks its inputs contiguously) get dense copies, outputs are dense by default.
@Suite struct PaddedSessionTests {
    /// past [1, 2, T, 3] (padded) ⧺ new [1, 2, 1, 3] along axis 2 = present; y = present + present.
    static func cacheGraph() -> Graph {
        let past = ValueInfo(name: "past", type: TensorType(.float, [.value(1), .value(2), .symbol("T"), .value(3)]))
        let new = ValueInfo(name: "new", type: TensorType(.float, shape: [1, 2, 1, 3]))
        return Graph(name: "main", inputs: [past, new],
                     outputs: [ValueInfo(name: "present", type: nil), ValueInfo(name: "y", type: nil)],
                     nodes: [Node(name: "concat", opType: "Concat", inputs: ["past", "new"], outputs: ["present"],
                                  attributes: ["axis": .int(-2)]),
                             add("present", "present", "y")])
    }

    static func past(rows: Int, capacity: Int) throws -> Tensor {
        let dense = try floats((0..<(6 * rows)).map(Float.init), [1, 2, rows, 3])
        return try dense.padded(rowCapacity: capacity)
    }

    static func expected(rows: Int, new: [Float]) -> [Float] {
        // Per head: the past rows, then the new row.
        (0..<2).flatMap { h in (0..<(rows * 3)).map { Float(h * rows * 3 + $0) } + new[(h * 3)..<(h * 3 + 3)] }
    }

    @Test func outputsAreDenseByDefault() throws {
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: Self.cacheGraph()),
                                  options: SessionOptions(registry: testRegistry))
        let past = try Self.past(rows: 2, capacity: 4)
        let newValues: [Float] = [100, 101, 102, 103, 104, 105]
        let out = try session.run(["past": past, "new": floats(newValues, [1, 2, 1, 3])])
        let present = try #require(out["present"]), y = try #require(out["y"])
        #expect(present.isDense && present.shape == [1, 2, 3, 3])
        #expect(present.toArray(Float.self) == Self.expected(rows: 2, new: newValues))
        #expect(y.toArray(Float.self) == Self.expected(rows: 2, new: newValues).map { $0 * 2 })
    }

    @Test func paddedOutputsAppendInPlaceRunAfterRun() throws {
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: Self.cacheGraph()),
                                  options: SessionOptions(registry: testRegistry, returnsPaddedOutputs: true))
        let past = try Self.past(rows: 1, capacity: 4)
        var cache = past
        var reference = try past.densified()
        let concat = try OpRegistry.standard.makeOperator(
            Node(opType: "Concat", inputs: ["a", "b"], outputs: ["c"], attributes: ["axis": .int(2)]), opset: 13)
        for step in 0..<5 {
            let new = try floats((0..<6).map { Float(1000 * step + $0) }, [1, 2, 1, 3])
            let out = try session.run(["past": cache, "new": new])
            let present = try #require(out["present"]), y = try #require(out["y"])
            reference = try #require(try concat.evaluate([reference, new], outputCount: 1).first)
            #expect(present.toArray(Float.self) == reference.toArray(Float.self), "step \(step)")
            #expect(y.toArray(Float.self) == reference.toArray(Float.self).map { $0 * 2 }, "step \(step)")
            // Rows 2, 3, 4 fit the first storage (4 fills it); row 5 doubles it to 8 rows; 6 appends there.
            #expect((present.storage === cache.storage) == (step != 3), "step \(step)")
            #expect(present.rowCapacity == (step < 3 ? 4 : 8))
            cache = present
        }
    }

    /// A merged decoder's shape: the Concat lives in an If branch and reads captured values; the
    /// branch's padded output is forwarded by If unchanged.
    @Test func ifForwardsPaddedBranchOutputs() throws {
        let concat = Node(name: "concat", opType: "Concat", inputs: ["past", "new"], outputs: ["appended"],
                          attributes: ["axis": .int(2)])
        let thenG = Graph(name: "then", outputs: [ValueInfo(name: "appended", type: nil)], nodes: [concat])
        let elseG = Graph(name: "else", outputs: [ValueInfo(name: "doubled", type: nil)], nodes: [add("new", "new", "doubled")])
        let ifNode = Node(name: "if", opType: "If", inputs: ["cond"], outputs: ["present"],
                          attributes: ["then_branch": .graph(thenG), "else_branch": .graph(elseG)])
        let g = Graph(name: "main", inputs: [ValueInfo(name: "cond", type: TensorType(.bool, shape: [1])),
                                             ValueInfo(name: "past", type: nil), ValueInfo(name: "new", type: nil)],
                      outputs: [ValueInfo(name: "present", type: nil)], nodes: [ifNode])
        let model = Model(irVersion: 10, opsetImports: opsets, graph: g)
        let padded = try Session(model: model, options: SessionOptions(registry: testRegistry, returnsPaddedOutputs: true))
        let yes = try Tensor(.bool, shape: [1], values: [UInt8(1)])
        let past = try Self.past(rows: 2, capacity: 3)
        let newValues: [Float] = [7, 8, 9, 10, 11, 12]
        let present = try #require(try padded.run(["cond": yes, "past": past, "new": floats(newValues, [1, 2, 1, 3])])["present"])
        #expect(present.storage === past.storage && present.shape == [1, 2, 3, 3])
        #expect(present.toArray(Float.self) == Self.expected(rows: 2, new: newValues))
        // The default session hands out a dense copy (of a padded output with spare rows).
        let dense = try Session(model: model, options: SessionOptions(registry: testRegistry))
        let past2 = try Self.past(rows: 2, capacity: 5)
        let out = try #require(try dense.run(["cond": yes, "past": past2, "new": floats(newValues, [1, 2, 1, 3])])["present"])
        #expect(out.isDense && out.storage !== past2.storage)
        #expect(out.toArray(Float.self) == Self.expected(rows: 2, new: newValues))
    }

    /// A padded feed read only by an op without padded support: the op sees a dense copy, and the
    /// same run's padded-aware reader (Identity) still sees the padded value.
    @Test func opsWithoutPaddedSupportGetDenseCopies() throws {
        let g = Graph(name: "main", inputs: [ValueInfo(name: "x", type: nil)],
                      outputs: [ValueInfo(name: "y", type: nil), ValueInfo(name: "same", type: nil)],
                      nodes: [add("x", "x", "y"), Node(name: "id", opType: "Identity", inputs: ["x"], outputs: ["same"])])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: testRegistry, returnsPaddedOutputs: true))
        let x = try Self.past(rows: 3, capacity: 8)
        for _ in 0..<2 {  // the scratch copies are recycled between runs
            let out = try session.run(["x": x])
            #expect(try #require(out["y"]).toArray(Float.self) == (0..<18).map { Float(2 * $0) })
            let same = try #require(out["same"])
            #expect(same.storage === x.storage && !same.isDense)
        }
    }

    /// Subgraph results reach an op that does not accept padded values as dense copies.
    @Test func subgraphResultsAreDensifiedForOpsWithoutPaddedSupport() throws {
        var registry = testRegistry
        registry.register(OpSchema(TestRunBody.self, "TestRunBody", domain: "test"))
        let body = Graph(name: "body", outputs: [ValueInfo(name: "same", type: nil)],
                         nodes: [Node(name: "id", opType: "Identity", inputs: ["x"], outputs: ["same"])])
        let g = Graph(name: "main", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                      nodes: [Node(name: "run", opType: "TestRunBody", domain: "test", inputs: [], outputs: ["y"],
                                   attributes: ["body": .graph(body)])])
        let session = try Session(model: Model(irVersion: 10, opsetImports: opsets, graph: g),
                                  options: SessionOptions(registry: registry, returnsPaddedOutputs: true))
        let x = try Self.past(rows: 3, capacity: 8)
        let y = try #require(try session.run(["x": x])["y"])
        #expect(y.isDense && y.storage !== x.storage && y.toArray(Float.self) == (0..<18).map(Float.init))
    }
}

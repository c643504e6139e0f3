import ONNXGraph
import Testing
@testable import ONNXRunCLI

/// `dump`'s text for a model built in memory (independent of the loader).
@Suite struct ModelSummaryTests {
    static func model() throws -> Model {
        let thenBranch = Graph(name: "then", outputs: [ValueInfo(name: "t", type: nil)], nodes: [
            Node(name: "a", opType: "Add", inputs: ["x", "x"], outputs: ["t1"]),
            Node(name: "m", opType: "Mul", inputs: ["t1", "x"], outputs: ["t"]),
        ])
        let elseBranch = Graph(name: "else", outputs: [ValueInfo(name: "e", type: nil)], nodes: [
            Node(name: "m2", opType: "Mul", inputs: ["x", "x"], outputs: ["e"]),
        ])
        elseBranch.addInitializer("k", try Tensor(.int64, shape: [2], values: [Int64(1), 2]))
        let graph = Graph(
            name: "main",
            inputs: [ValueInfo(name: "x", type: TensorType(.float, [.symbol("batch"), .value(3), .unknown])),
                     ValueInfo(name: "c", type: TensorType(.bool, [])),
                     ValueInfo(name: "w", type: TensorType(.float, shape: [3]))],
            outputs: [ValueInfo(name: "out/y", type: TensorType(.float16, nil)), ValueInfo(name: "seq", type: nil)],
            initializers: [("w", try Tensor(.float, shape: [3], values: [Float(1), 2, 3])),
                           ("big", try Tensor(allocating: .float, shape: [1024, 1024]))],
            nodes: [
                Node(name: "if", opType: "If", inputs: ["c"], outputs: ["z"],
                     attributes: ["then_branch": .graph(thenBranch), "else_branch": .graph(elseBranch)]),
                Node(name: "q", opType: "QuickGelu", domain: "com.microsoft", inputs: ["z"], outputs: ["out/y"]),
            ])
        return Model(irVersion: 8, opsetImports: ["": 17, "com.microsoft": 1], producerName: "pytorch",
                     producerVersion: "2.1", metadata: ["note": "two\nlines", "author": "me"], graph: graph)
    }

    @Test func summary() throws {
        let lines = ModelSummary.lines(try Self.model(), path: "m.onnx")
        #expect(lines == [
            "model: m.onnx",
            "ir_version: 8",
            "producer: pytorch 2.1",
            "opsets: ai.onnx 17, com.microsoft 1",
            "graph: main",
            "inputs (2):",
            "  x  float[batch,3,?]",
            "  c  bool[]",
            "inputs with initializer defaults (1):",
            "  w  float[3]",
            "outputs (2):",
            "  out/y  float16[...]",
            "  seq    (not a tensor)",
            "ops (5 nodes in 4 op types, 2 subgraphs):",
            "  2  Mul",
            "  1  Add",
            "  1  If",
            "  1  com.microsoft::QuickGelu",
            "initializers: 3, 4194332 bytes (4.0 MiB)",
            "metadata (2):",
            "  author: me",
            "  note: two\\nlines",
        ])
    }

    @Test(arguments: [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
                      (209_715_200, "200.0 MiB"), (3 << 30, "3.0 GiB")])
    func humanBytes(_ n: Int, _ text: String) {
        #expect(ModelSummary.humanBytes(n) == text)
    }
}

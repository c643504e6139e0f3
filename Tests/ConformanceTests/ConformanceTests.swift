import Foundation
import Interpreter
import ONNXGraph
import ONNXLoader
import Ops
import Testing

/// ONNX's own node tests (materialized into testdata/onnx-node by scripts/materialize_node_tests.py)
/// run through the real loader and interpreter. Tolerances: floating-point outputs within
/// rtol 1e-3 / atol 1e-5 (NaN equals NaN); integers, bool, strings and the float8/float4 bit
/// patterns exact. Every test not run has its reason in the manifest.
enum NodeSuite {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/onnx-node")

    struct Entry: Sendable, CustomTestStringConvertible {
        var name: String
        var op: String
        var status: String
        var reason: String
        var testDescription: String { name }
    }

    static let manifest: [Entry] = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("manifest.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, !line.hasPrefix("#") else { return nil }
            return Entry(name: f[0], op: f[1], status: f[4], reason: f.count > 5 ? f[5] : "")
        }
    }()

    static var runnable: [Entry] { manifest.filter { $0.status == "run" } }

    /// Outcome of every runnable test, computed once and shared by the per-test cases and the summary.
    static let outcomes: [String: String?] = {
        var results: [String: String?] = [:]
        for e in runnable { results[e.name] = run(e.name) }
        return results
    }()

    /// Runs one test; nil on success, else what went wrong.
    static func run(_ name: String) -> String? {
        let dir = root.appendingPathComponent(name)
        do {
            let model = try ModelLoader.load(path: dir.appendingPathComponent("model.onnx").path)
            let session = try Session(model: model)
            let data = dir.appendingPathComponent("test_data_set_0")
            var feeds: [String: Tensor] = [:]
            let inputs = model.graph.inputs
            for i in 0..<inputs.count {
                let path = data.appendingPathComponent("input_\(i).pb").path
                guard FileManager.default.fileExists(atPath: path) else { break }
                feeds[inputs[i].name] = try TensorDecoder.decodeTensor(path: path)
            }
            let results = try session.run(feeds)
            for (i, output) in model.graph.outputs.enumerated() {
                let path = data.appendingPathComponent("output_\(i).pb").path
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let expected = try TensorDecoder.decodeTensor(path: path)
                guard let actual = results[output.name] else { return "output '\(output.name)' missing" }
                if let problem = TensorComparison.compare(actual, expected) { return "output '\(output.name)': \(problem)" }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}

@Suite struct ConformanceTests {
    @Test(arguments: NodeSuite.runnable)
    func nodeTest(_ entry: NodeSuite.Entry) {
        let outcome = NodeSuite.outcomes[entry.name] ?? "not run"
        #expect(outcome == nil, "\(entry.name): \(outcome ?? "")")
    }

    @Test func summary() {
        let manifest = NodeSuite.manifest
        #expect(!manifest.isEmpty, "testdata/onnx-node/manifest.tsv is missing or empty")
        let failed = NodeSuite.outcomes.values.filter { $0 != nil }.count
        let passed = NodeSuite.outcomes.count - failed
        let skipped = manifest.count - NodeSuite.outcomes.count
        print("ONNX node tests: \(passed) passed, \(failed) failed, \(skipped) skipped of \(manifest.count) in the manifest")
        #expect(failed == 0)
    }
}

@Suite struct RegistryCoverageTests {
    /// Every registered op has at least one ONNX node test that runs, or a reason here.
    static let untestedWithReason: [String: String] = [:]

    @Test func everyRegisteredOpIsTested() {
        let tested = Set(NodeSuite.runnable.map(\.op))
        for schema in OpRegistry.standard.all where schema.domain.isEmpty {
            #expect(tested.contains(schema.opType) || RegistryCoverageTests.untestedWithReason[schema.opType] != nil,
                    "\(schema.opType) is registered but no node test in the manifest runs it")
        }
    }
}

import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

/// Loads every `*.onnx` and `*.pb` under the folder named by `ONNX_LOADER_CORPUS` (e.g. the
/// materialized ONNX node tests) and reports each file that fails. Off unless the variable is set.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ONNX_LOADER_CORPUS"] != nil))
struct CorpusTests {
    @Test func everyFileLoads() throws {
        let root = try #require(ProcessInfo.processInfo.environment["ONNX_LOADER_CORPUS"])
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        var models = 0, tensors = 0, compared = 0, failures: [String] = []
        for file in files.sorted() {
            let path = root + "/" + file
            if file.hasSuffix(".onnx") {
                models += 1
                let start = ContinuousClock.now
                do {
                    let m = try ModelLoader.load(path: path)
                    let elapsed = ContinuousClock.now - start
                    if elapsed > .milliseconds(100) {
                        print("corpus: \(file): \(m.graph.totalNodeCount) nodes, \(m.graph.initializers.count) initializers in \(elapsed), peak RSS \(peakRSS())")
                    }
                } catch { failures.append(error.description) }
            } else if file.hasSuffix(".pb") {
                tensors += 1
                do { _ = try TensorDecoder.decodeTensor(path: path) } catch { failures.append(error.description) }
            }
        }
        // Optional manifest (ONNX_LOADER_CORPUS_HEX): relative .pb path → {"hex": storage bytes} or
        // {"strings": [...]}, in the storage convention of scripts/make_loader_fixtures.py.
        if let manifest = ProcessInfo.processInfo.environment["ONNX_LOADER_CORPUS_HEX"],
           let data = FileManager.default.contents(atPath: manifest),
           let expected = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] {
            for (file, entry) in expected.sorted(by: { $0.key < $1.key }) {
                guard let t = try? TensorDecoder.decodeTensor(path: root + "/" + file) else { continue }
                compared += 1
                if let strings = entry["strings"] as? [String] {
                    if t.storage.strings != strings { failures.append("\(file): strings differ") }
                } else if t.hex != entry["hex"] as? String {
                    failures.append("\(file): \(t.dataType)\(t.shape) bytes differ")
                }
            }
        }
        for f in failures.prefix(50) { Issue.record("\(f)") }
        print("corpus: \(models) models, \(tensors) tensors (\(compared) compared), \(failures.count) failures")
    }
}

/// `VmHWM` from /proc/self/status (peak resident set), for the corpus log.
func peakRSS() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "?" }
    return status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map { $0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces) } ?? "?"
}

import ONNXGraph

/// The text `onnxrun dump` prints for a model: header facts, opsets, inputs and outputs with their
/// types (symbolic dims by name, `?` for unknown), the op histogram over the main graph and every
/// subgraph (most frequent first, ties by name), initializer totals, and metadata.
package enum ModelSummary {
    package static func lines(_ model: Model, path: String? = nil) -> [String] {
        var out: [String] = []
        let graph = model.graph
        if let path { out.append("model: \(path)") }
        out.append("ir_version: \(model.irVersion)")
        let producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        out.append("producer: \(producer.isEmpty ? "(none)" : escaped(producer))")
        if !model.domain.isEmpty { out.append("domain: \(escaped(model.domain))") }
        if model.modelVersion != 0 { out.append("model_version: \(model.modelVersion)") }
        if !model.docString.isEmpty { out.append("doc: \(escaped(model.docString, limit: 200))") }
        let opsets = model.opsetImports.sorted { $0.key < $1.key }
            .map { "\($0.key.isEmpty ? "ai.onnx" : $0.key) \($0.value)" }
        out.append("opsets: \(opsets.isEmpty ? "(none)" : opsets.joined(separator: ", "))")
        out.append("graph: \(graph.name.isEmpty ? "(unnamed)" : escaped(graph.name))")

        let defaulted = graph.inputs.filter { graph.initializers[$0.name] != nil }
        let required = graph.requiredInputs
        out.append("inputs (\(required.count)):")
        out += valueLines(required)
        if !defaulted.isEmpty {
            out.append("inputs with initializer defaults (\(defaulted.count)):")
            out += valueLines(defaulted)
        }
        out.append("outputs (\(graph.outputs.count)):")
        out += valueLines(graph.outputs)

        var histogram: [String: Int] = [:]
        var subgraphCount = 0
        countOps(graph, into: &histogram, subgraphs: &subgraphCount)
        let total = histogram.values.reduce(0, +)
        let nested = subgraphCount > 0 ? ", \(subgraphCount) subgraph\(subgraphCount == 1 ? "" : "s")" : ""
        out.append("ops (\(total) node\(total == 1 ? "" : "s") in \(histogram.count) op type\(histogram.count == 1 ? "" : "s")\(nested)):")
        let sorted = histogram.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let width = String(sorted.first?.value ?? 0).count
        for (op, n) in sorted { out.append("  \(pad(String(n), width))  \(op)") }

        var (count, bytes) = (0, 0)
        sumInitializers(graph, count: &count, bytes: &bytes)
        out.append("initializers: \(count), \(bytes) bytes (\(humanBytes(bytes)))")

        if !model.metadata.isEmpty {
            out.append("metadata (\(model.metadata.count)):")
            for (k, v) in model.metadata.sorted(by: { $0.key < $1.key }) {
                out.append("  \(escaped(k)): \(escaped(v, limit: 500))")
            }
        }
        return out
    }

    /// `  name  float[batch,3,224,224]`, names aligned.
    static func valueLines(_ values: [ValueInfo]) -> [String] {
        let width = values.map { escaped($0.name).count }.max() ?? 0
        return values.map { v in
            let type = v.type.map(typeText) ?? "(not a tensor)"
            return "  \(pad(escaped(v.name), width, left: false))  \(type)"
        }
    }

    /// `float[batch,8,?]`; `float[...]` when the rank is unknown; `?` when nothing is known.
    static func typeText(_ t: TensorType) -> String { t.description }

    static func countOps(_ graph: Graph, into histogram: inout [String: Int], subgraphs: inout Int) {
        for node in graph.nodes {
            let key = node.domain.isEmpty ? node.opType : "\(node.domain)::\(node.opType)"
            histogram[key, default: 0] += 1
            for sub in node.subgraphs {
                subgraphs += 1
                countOps(sub, into: &histogram, subgraphs: &subgraphs)
            }
        }
    }

    /// Initializers of `graph` and of every subgraph; bytes as stored (sub-byte types unpacked).
    static func sumInitializers(_ graph: Graph, count: inout Int, bytes: inout Int) {
        count += graph.initializers.count
        for t in graph.initializers.values { bytes += t.byteCount }
        for node in graph.nodes {
            for sub in node.subgraphs { sumInitializers(sub, count: &count, bytes: &bytes) }
        }
    }

    /// `1.5 MiB`, `200.0 MiB`, `512 B`.
    package static func humanBytes(_ n: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard n >= 1024 else { return "\(n) B" }
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[i])"
    }

    /// `s` with control characters escaped (so one value stays on one line), cut to `limit` characters.
    static func escaped(_ s: String, limit: Int = 1000) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 || ch.value == 0x7F {
                    out += "\\u{\(String(ch.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out.count > limit ? String(out.prefix(limit)) + "…" : out
    }

    static func pad(_ s: String, _ width: Int, left: Bool = true) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? fill + s : s + fill
    }
}

import COnnxChecker
import ONNXGraph

/// Debian's libonnx (ONNX 1.12) checker and strict shape inference, through the COnnxChecker shim.
package enum LibOnnx {
    /// `1.12.0` for Debian 12's libonnx-dev.
    package static var version: String { String(cString: onnxc_version()) }
    /// Highest IR version libonnx knows (8 for 1.12).
    package static var maxIRVersion: Int { Int(onnxc_max_ir_version()) }
    /// protobuf 3.21 parses messages up to 2 GiB.
    package static let maxFileSize = Int(Int32.max)

    /// Highest opset libonnx has schemas for in `domain`, nil when it does not know the domain.
    package static func maxOpset(_ domain: String) -> Int? {
        let v = Int(onnxc_max_opset(domain))
        return v < 0 ? nil : v
    }

    /// Why libonnx cannot judge `model` (newer IR, newer opsets of a domain it knows), or nil when it can.
    package static func outOfRange(_ model: Model, fileSize: Int?) -> String? {
        var reasons: [String] = []
        if model.irVersion > maxIRVersion { reasons.append("IR version \(model.irVersion) > \(maxIRVersion)") }
        for (domain, version) in model.opsetImports.sorted(by: { $0.key < $1.key }) {
            if let max = maxOpset(domain), version > max {
                reasons.append("\(domain.isEmpty ? "ai.onnx" : domain) opset \(version) > \(max)")
            }
        }
        if let fileSize, fileSize > maxFileSize { reasons.append("file larger than protobuf's 2 GiB limit") }
        return reasons.isEmpty ? nil : reasons.joined(separator: ", ")
    }

    /// `onnx::checker::check_model(path)`; nil when the model passes, else the message on one line.
    package static func checkModel(path: String) -> String? {
        call { err, len in onnxc_check_model_path(path, err, len) }
    }

    /// `onnx::shape_inference::InferShapes` with type checks and strict errors; nil when it passes.
    package static func inferShapes(path: String) -> String? {
        call { err, len in onnxc_infer_shapes_path(path, nil, err, len) }
    }

    private static func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = buffer.withUnsafeMutableBufferPointer { p -> Int32 in
            guard let base = p.baseAddress else { return 1 }
            return body(base, p.count)
        }
        guard status != 0 else { return nil }
        let text = buffer.withUnsafeBufferPointer { p in
            String(decoding: p.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CLIError.oneLine(text.isEmpty ? "failed without a message" : text)
    }
}

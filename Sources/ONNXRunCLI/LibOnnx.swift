import Foundation
import ONNXGraph

/// Debian's libonnx (ONNX 1.12) checker and strict shape inference, run as the separate process
/// `onnxrun-libonnx` (built beside `onnxrun`; `ONNXRUN_LIBONNX` names another path). It is a
/// separate process because libonnx's libprotobuf and SentencePiece's libprotobuf-lite cannot be
/// loaded into one process, and so that a crash inside libonnx is reported, not shared.
package enum LibOnnx {
    /// What the helper reports about the library, or nil when the helper cannot be run.
    package struct Info: Sendable {
        package var version: String
        package var maxIRVersion: Int
        package var maxOpsets: [String: Int]
    }

    /// protobuf 3.21 parses messages up to 2 GiB.
    package static let maxFileSize = Int(Int32.max)

    /// The helper executable: `ONNXRUN_LIBONNX`, else `onnxrun-libonnx` beside this process's executable.
    package static var helperPath: String {
        if let path = ProcessInfo.processInfo.environment["ONNXRUN_LIBONNX"], !path.isEmpty { return path }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("onnxrun-libonnx").path
    }

    package static let info: Info? = {
        guard let (status, text) = run(["info"]), status == 0 else { return nil }
        var info = Info(version: "?", maxIRVersion: 0, maxOpsets: [:])
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            switch (f.first, f.count) {
            case ("version", 2): info.version = f[1]
            case ("ir", 2): info.maxIRVersion = Int(f[1]) ?? 0
            case ("opset", 3): info.maxOpsets[Node.normalizedDomain(f[1])] = Int(f[2])
            default: break
            }
        }
        return info
    }()

    /// `1.12.0` for Debian 12's libonnx-dev; "unavailable" when the helper cannot be run.
    package static var version: String { info?.version ?? "unavailable" }
    /// Highest IR version libonnx knows (8 for 1.12).
    package static var maxIRVersion: Int { info?.maxIRVersion ?? 0 }

    /// Highest opset libonnx has schemas for in `domain`, nil when it does not know the domain.
    package static func maxOpset(_ domain: String) -> Int? { info?.maxOpsets[Node.normalizedDomain(domain)] }

    /// Why libonnx cannot judge `model` (helper missing, newer IR, newer opsets of a domain it
    /// knows), or nil when it can.
    package static func outOfRange(_ model: Model, fileSize: Int?) -> String? {
        guard info != nil else { return "the helper \(helperPath) cannot be run" }
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
    package static func checkModel(path: String) -> String? { verdict(["check", path]) }

    /// `onnx::shape_inference::InferShapes` with type checks and strict errors; nil when it passes.
    package static func inferShapes(path: String) -> String? { verdict(["infer", path]) }

    private static func verdict(_ arguments: [String]) -> String? {
        guard let (status, text) = run(arguments) else { return "cannot run \(helperPath)" }
        if status == 0 { return nil }
        let message = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == 1 { return CLIError.oneLine(message.isEmpty ? "failed without a message" : message) }
        return "libonnx ended abnormally (status \(status))"
    }

    /// Runs the helper; nil when it cannot be started. A signal shows as status 128 + signal.
    private static func run(_ arguments: [String]) -> (Int32, String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helperPath)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (status, String(decoding: data, as: UTF8.self))
    }
}

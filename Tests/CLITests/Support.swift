import Foundation
import Testing
@testable import ONNXRunCLI

/// Paths of the checked-in fixtures (made by scripts/make_cli_fixtures.py), found beside this file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { directory + "/" + name }
}

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "onnxrun-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// The result of running the CLI in-process.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stderr split into lines.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs `onnxrun <arguments>` in this process, capturing output and errors.
func runCLI(_ arguments: [String]) -> CLIResult {
    let out = Output.buffer(), err = Output.buffer()
    let status = ONNXRun.execute(arguments, output: out, errors: err)
    return CLIResult(status: status, stdout: out.text, stderr: err.text)
}

/// Asserts a failure reported as exactly one `error:` line that contains `fragment`.
func expectError(_ r: CLIResult, contains fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status != 0, "status", sourceLocation: sourceLocation)
    #expect(r.errorLines.count == 1, "one error line, got: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.errorLines.first?.hasPrefix("error: ") == true, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(fragment), "\(r.stderr) should contain \(fragment)", sourceLocation: sourceLocation)
}

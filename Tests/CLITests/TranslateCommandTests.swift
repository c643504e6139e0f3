import Foundation
import Testing
@testable import ONNXRunCLI

/// `onnxrun MODEL_DIR` / `onnxrun ENCODER DECODER ...` on testdata/marian-tiny against ONNX Runtime's
/// reference outputs (scripts/make_translation_fixtures.py).
@Suite struct TranslateCommandTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/marian-tiny").path
    static func reference(_ name: String) throws -> String {
        try String(contentsOfFile: model + "/reference/" + name, encoding: .utf8)
    }

    @Test func translatesTextFromAModelFolder() throws {
        let r = runCLI([Self.model, "--input", Self.model + "/reference/sources.txt"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try Self.reference("fp32.txt")))
    }

    @Test func translatesIdsWithExplicitGraphsIntoAFile() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let r = runCLI([Self.model + "/encoder_model.onnx", Self.model + "/decoder_model.onnx",
                        Self.model + "/decoder_with_past_model.onnx", "--ids", "--batch-size", "24",
                        "--input", Self.model + "/reference/source_ids.txt", "--output", dir.file("out.txt")])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        #expect(try String(contentsOfFile: dir.file("out.txt"), encoding: .utf8) == (try Self.reference("fp32_b24.ids")))
    }

    /// `MODEL_DIR --int8` runs the int8 pair; at the fixture's batch compositions (24, and 1) its
    /// ids equal ONNX Runtime's.
    @Test(arguments: [24, 1])
    func int8FolderAtFixtureBatch(_ batchSize: Int) throws {
        let r = runCLI([Self.model, "--int8", "--ids", "--batch-size", "\(batchSize)",
                        "--input", Self.model + "/reference/source_ids.txt"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try Self.reference("int8_b\(batchSize).ids")))
    }

    @Test func emptyLinesStayEmpty() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let first = try Self.reference("sources.txt").split(separator: "\n")[0]
        let input = try dir.write("in.txt", Array("\n\(first)\n\n".utf8))
        let r = runCLI([Self.model, "--input", input])
        #expect(r.status == 0, "\(r.stderr)")
        let expectedFirst = try Self.reference("fp32.txt").split(separator: "\n")[0]
        #expect(r.stdout == "\n\(expectedFirst)\n\n")
    }

    @Test func badInputIsOneLine() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        expectError(runCLI([Self.model, "--ids", "--input", try dir.write("a.txt", Array("5 x 0\n".utf8))]),
                    contains: "line 1: 'x' is not a token id")
        expectError(runCLI([Self.model, "--ids", "--input", try dir.write("b.txt", Array("5 0\n5 70000 0\n".utf8))]),
                    contains: "line 2: token id 70000 is outside the vocabulary")
        // Line numbers count from the start of the input, across batches.
        let many = String(repeating: "5 0\n", count: 6) + "5 70000 0\n"
        expectError(runCLI([Self.model, "--ids", "--batch-size", "1", "--input", try dir.write("d.txt", Array(many.utf8))]),
                    contains: "line 7: token id 70000 is outside the vocabulary")
        expectError(runCLI([Self.model + "/encoder_model.onnx", "/no/such/decoder.onnx"]),
                    contains: "/no/such/decoder.onnx: no such file or directory")
        expectError(runCLI([Self.model + "/encoder_model.onnx", Self.model + "/encoder_model.onnx", "--ids",
                            "--input", try dir.write("c.txt", Array("5 0\n".utf8))]),
                    contains: "the graphs do not fit together")
        expectError(runCLI([Self.model, "--input", "/no/such/input.txt"]), contains: "/no/such/input.txt: cannot read the file")
    }
}

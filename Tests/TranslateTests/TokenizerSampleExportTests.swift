import Foundation
import Testing
import Translate

/// The project's sample export (testdata/marian-tiny, built by scripts/make_translation_fixtures.py
/// with transformers' MarianTokenizer): source text → encoder ids, generated ids → text.
@Suite struct TokenizerSampleExportTests {
    static let export = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../testdata/marian-tiny").standardized.path

    private func lines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: Self.export + "/reference/" + name, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private func ids(_ line: String) -> [Int] {
        line.split(separator: " ").compactMap { Int($0) }
    }

    @Test func encodesTheSourceSentences() throws {
        let tokenizer = try MarianTokenizer(directory: Self.export)
        let sources = try lines("sources.txt"), expected = try lines("source_ids.txt")
        #expect(sources.count == expected.count && sources.count > 0)
        for (text, line) in zip(sources, expected) {
            #expect(try tokenizer.encode(text) == ids(line), "\(text)")
        }
    }

    @Test(arguments: [("fp32_b1.ids", "fp32.txt"), ("int8_b1.ids", "int8_b1.txt")])
    func decodesTheGeneratedIds(idsFile: String, textFile: String) throws {
        let tokenizer = try MarianTokenizer(directory: Self.export)
        let generated = try lines(idsFile), expected = try lines(textFile)
        #expect(generated.count == expected.count && generated.count > 0)
        for (line, text) in zip(generated, expected) {
            let decoded = try tokenizer.decode(ids(line))
            #expect(decoded.unicodeScalars.elementsEqual(text.unicodeScalars), "\(line)")
        }
    }
}

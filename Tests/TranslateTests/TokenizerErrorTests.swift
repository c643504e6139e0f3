import Foundation
import Testing
@testable import Translate

/// Bad files give a `TokenizerError` naming the file, never a crash.
@Suite struct TokenizerErrorTests {
    private func load(_ overrides: [String: Data?]) throws -> TokenizerError? {
        let dir = try TokenizerFixtures.folder(try TokenizerFixtures.marianFiles(overrides))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try MarianTokenizer(directory: dir)
            return nil
        } catch {
            #expect(error.file?.hasPrefix(dir) == true, "error names the file: \(error)")
            return error
        }
    }

    @Test func missingFiles() throws {
        #expect(throws: TokenizerError(.fileNotFound, file: "/nonexistent/x.spm")) {
            try SentencePieceModel(path: "/nonexistent/x.spm")
        }
        for name in ["source.spm", "target.spm", "vocab.json"] {
            let error = try load([name: Data?.none])
            #expect(error?.kind == .fileNotFound, "\(name): \(String(describing: error))")
            #expect(error?.file?.hasSuffix("/" + name) == true)
        }
        // The configuration files are optional: defaults are </s>, <unk>, <pad>.
        #expect(try load(["tokenizer_config.json": Data?.none, "special_tokens_map.json": Data?.none]) == nil)
    }

    @Test func corruptSentencePieceModels() throws {
        let spm = try Data(contentsOf: TokenizerFixtures.root.appendingPathComponent("marian/source.spm"))
        let bad: [(String, Data)] = [
            ("empty", Data()),
            ("text", Data("this is not a model\n".utf8)),
            ("json", try Data(contentsOf: TokenizerFixtures.root.appendingPathComponent("marian/vocab.json"))),
            ("truncated", spm.prefix(spm.count / 2)),
            ("garbage", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })),
        ]
        for (what, data) in bad {
            let error = try load(["source.spm": data])
            guard case .invalidSentencePieceModel? = error?.kind else {
                Issue.record("\(what): expected invalidSentencePieceModel, got \(String(describing: error))")
                continue
            }
            #expect(error?.file?.hasSuffix("/source.spm") == true)
            #expect(throws: TokenizerError.self) { try SentencePieceModel(bytes: [UInt8](data), name: what) }
        }
        // A directory where a model file should be.
        let dir = try TokenizerFixtures.folder([:])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: TokenizerError(.cannotRead("not a regular file"), file: dir)) { try SentencePieceModel(path: dir) }
    }

    /// Randomly damaged models either fail to load or load and run: SentencePiece walks its
    /// normalization table unchecked, so the shim validates the table before loading.
    @Test func damagedModelsNeverCrash() throws {
        let spm = try [UInt8](Data(contentsOf: TokenizerFixtures.root.appendingPathComponent("marian/source.spm")))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var loaded = 0
        for _ in 0..<1500 {
            var bytes = spm
            for _ in 0...(next() % 8) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            if next() % 4 == 0 { bytes.removeLast(next() % bytes.count) }
            guard let model = try? SentencePieceModel(bytes: bytes, name: "damaged") else { continue }
            loaded += 1
            for text in ["the quick brown fox", "", "中文 x\t y", "ＡＢＣ ﬁ e\u{301}", "\u{0}\u{FFFF}"] {
                if let pieces = try? model.encode(text) { _ = try? model.decode(utf8Pieces: pieces.map(\.utf8)) }
            }
            _ = try? model.decode(ids: [0, 1, 2, 3])
        }
        #expect(loaded > 0)
    }

    @Test(arguments: [
        ("", "malformed"),
        ("{", "malformed"),
        ("{\"a\": 1,}", "malformed"),
        ("{\"a\" 1}", "malformed"),
        ("[1, 2]", "content"),
        ("\"</s>\"", "content"),
        ("{\"</s>\": 0, \"<unk>\": \"1\", \"<pad>\": 2}", "content"),
        ("{\"</s>\": 0, \"<unk>\": 1.5, \"<pad>\": 2}", "content"),
        ("{\"</s>\": 0, \"<unk>\": true, \"<pad>\": 2}", "content"),
        ("{\"</s>\": 0, \"<unk>\": 1e400, \"<pad>\": 2}", "content"),
        ("{\"</s>\": 0, \"<unk>\": 99999999999999999999999, \"<pad>\": 2}", "content"),
        ("{\"</s>\": 0, \"\\ud800\": 3, \"<unk>\": 1, \"<pad>\": 2}", "malformed"),
        ("{\"</s>\": 0, \"\u{1}\": 3, \"<unk>\": 1, \"<pad>\": 2}", "malformed"),
        ("{\"</s>\": 0, \"<pad>\": 2}", "missing"),
        ("{\"</s>\": 0, \"<unk>\": 1}", "missing"),
        ("\u{FEFF}{\"</s>\": 0, \"<unk>\": 1, \"<pad>\": 2}", "malformed"),
        (String(repeating: "[", count: 100_000), "malformed"),
    ])
    func malformedVocabulary(json: String, expected: String) throws {
        let error = try #require(try load(["vocab.json": Data(json.utf8)]))
        #expect(error.file?.hasSuffix("/vocab.json") == true)
        switch (error.kind, expected) {
        case (.malformedJSON, "malformed"), (.invalidContent, "content"), (.missingToken, "missing"): break
        default: Issue.record("\(json.prefix(60).debugDescription): expected \(expected), got \(error)")
        }
    }

    @Test func invalidUTF8InVocabulary() throws {
        var bytes = Array("{\"</s>\": 0, \"<unk>\": 1, \"<pad>\": 2, \"".utf8)
        bytes += [0xC3, 0x28] + Array("\": 3}".utf8)
        let error = try load(["vocab.json": Data(bytes)])
        guard case .malformedJSON? = error?.kind else {
            Issue.record("expected malformedJSON, got \(String(describing: error))")
            return
        }
    }

    @Test func badConfigurations() throws {
        // special_tokens_map.json is read only when tokenizer_config.json has no added_tokens_decoder.
        let plain = "{\"source_lang\": \"en\"}"
        let cases: [([String: String], TokenizerError.Kind?)] = [
            (["tokenizer_config.json": "{\"separate_vocabs\": true}"],
             .unsupported("separate_vocabs (a target_vocab.json for decoding)")),
            (["tokenizer_config.json": "{\"eos_token\": 5}", "special_tokens_map.json": "{}"], nil),
            (["tokenizer_config.json": "{\"added_tokens_decoder\": {\"x\": {\"content\": \"</s>\"}}}"], nil),
            (["tokenizer_config.json": "{\"added_tokens_decoder\": {\"3\": \"</s>\"}}"], nil),
            (["tokenizer_config.json": "{\"added_tokens_decoder\": {}, \"unk_token\": \"<nope>\"}"], .missingToken("<nope>")),
            (["tokenizer_config.json": "{\"clean_up_tokenization_spaces\": \"yes\"}"], nil),
            (["tokenizer_config.json": "[]"], nil),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "{\"unk_token\": \"<nope>\"}"], .missingToken("<nope>")),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "{\"pad_token\": {\"content\": \"<nope>\"}}"],
             .missingToken("<nope>")),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "{\"additional_special_tokens\": 3}"], nil),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "{\"eos_token\": null}"], nil),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "{\"eos_token\": 5}"], nil),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "{\"eos_token\": {\"lstrip\": true}}"], nil),
            (["tokenizer_config.json": plain, "special_tokens_map.json": "["], nil),
            (["tokenizer_config.json": plain, "added_tokens.json": "{\"<x>\": \"9\"}"], nil),
            (["tokenizer_config.json": plain, "added_tokens.json": "[1]"], nil),
        ]
        for (files, kind) in cases {
            let error = try load(files.mapValues { Data($0.utf8) })
            #expect(error != nil, "\(files) should be refused")
            if let kind { #expect(error?.kind == kind, "\(files): \(String(describing: error))") }
        }
        // Ignored while added_tokens_decoder is present, as in transformers.
        #expect(try load(["special_tokens_map.json": Data("{\"unk_token\": \"<nope>\"}".utf8)]) == nil)
    }

    @Test func descriptionsNameTheFile() {
        let error = TokenizerError(.invalidSentencePieceModel("Model file is broken\nreally"), file: "/m/source.spm")
        #expect(error.description == "/m/source.spm: not a SentencePiece model: Model file is broken really")
    }
}

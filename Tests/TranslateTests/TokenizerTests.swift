import Foundation
import Testing
@testable import Translate

/// Fixtures written by scripts/make_tokenizer_fixtures.py (transformers 4.57 MarianTokenizer and
/// the sentencepiece 0.2.3 Python binding as the reference).
enum TokenizerFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static var marian: String { root.appendingPathComponent("marian").path }

    struct EncodeCase: Decodable { var text: String; var ids: [Int]; var tokens: [String] }
    struct DecodeCase: Decodable { var ids: [Int]; var text: String; var text_keep: String }
    struct TokenizerReference: Decodable { var encode: [EncodeCase]; var decode: [DecodeCase] }
    struct SpmEncode: Decodable { var text: String; var pieces: [String]; var ids: [Int] }
    struct SpmPiece: Decodable { var id: Int; var piece: String }
    struct SpmDecode: Decodable { var ids: [Int]; var text: String }
    struct SpmReference: Decodable {
        var source_size: Int
        var target_size: Int
        var source_unk_id: Int
        var source_encode: [SpmEncode]
        var target_pieces: [SpmPiece]
        var target_decode_ids: [SpmDecode]
    }
    struct Reference: Decodable {
        var marian: TokenizerReference
        var variant: TokenizerReference
        var legacy: TokenizerReference
        var spm: SpmReference

        subscript(configuration: String) -> TokenizerReference {
            switch configuration {
            case "variant": variant
            case "legacy": legacy
            default: marian
            }
        }
    }

    static func reference() throws -> Reference {
        let data = try Data(contentsOf: root.appendingPathComponent("tokenizer_reference.json"))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    /// A fresh temporary folder holding `files` (name → bytes), removed by the caller.
    static func folder(_ files: [String: Data]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: dir.appendingPathComponent(name)) }
        return dir.path
    }

    /// The marian/ files, with `overrides` replacing or adding some (nil removes one).
    static func marianFiles(_ overrides: [String: Data?] = [:]) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"] {
            files[name] = try Data(contentsOf: root.appendingPathComponent("marian").appendingPathComponent(name))
        }
        for (name, data) in overrides { files[name] = data }
        return files
    }
}

/// Exact comparison: Swift's `==` on strings is canonical equivalence, Python's is code points.
func sameScalars(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

@Suite struct TokenizerSentencePieceTests {
    @Test func encodesLikeThePythonBinding() throws {
        let ref = try TokenizerFixtures.reference().spm
        let source = try SentencePieceModel(path: TokenizerFixtures.marian + "/source.spm")
        #expect(source.vocabularySize == ref.source_size)
        #expect(source.unknownID == ref.source_unk_id)
        for c in ref.source_encode {
            let pieces = try source.encode(c.text)
            #expect(pieces.map(\.id) == c.ids, "ids of \(c.text.debugDescription)")
            #expect(pieces.map(\.text).elementsEqual(c.pieces, by: sameScalars), "pieces of \(c.text.debugDescription)")
            // piece ↔ id agree with the encoding (unknown text has the unknown id).
            for piece in pieces { #expect(source.id(of: piece.text) == piece.id) }
        }
    }

    @Test func piecesAndIdDecoding() throws {
        let ref = try TokenizerFixtures.reference().spm
        let target = try SentencePieceModel(path: TokenizerFixtures.marian + "/target.spm")
        #expect(target.vocabularySize == ref.target_size)
        for p in ref.target_pieces {
            let piece = try #require(target.piece(of: p.id))
            #expect(sameScalars(piece, p.piece))
            #expect(target.id(of: p.piece) == p.id)
        }
        for d in ref.target_decode_ids {
            #expect(sameScalars(try target.decode(ids: d.ids), d.text), "decode_ids \(d.ids)")
            // The same pieces decode to the same text.
            let pieces = d.ids.compactMap { target.piece(of: $0) }
            #expect(sameScalars(try target.decode(pieces: pieces), d.text))
        }
        #expect(target.piece(of: -1) == nil)
        #expect(target.piece(of: ref.target_size) == nil)
        #expect(target.piece(of: Int.max) == nil)
        #expect(try target.decode(pieces: []) == "")
    }

    @Test func idsOutsideTheVocabularyThrow() throws {
        let target = try SentencePieceModel(path: TokenizerFixtures.marian + "/target.spm")
        for bad in [-1, target.vocabularySize, Int(Int32.max) + 1] {
            #expect(throws: TokenizerError.self) { try target.decode(ids: [3, bad]) }
        }
    }

    @Test func textWithNulBytesAndEmptyText() throws {
        let source = try SentencePieceModel(path: TokenizerFixtures.marian + "/source.spm")
        #expect(try source.encode("").isEmpty)
        #expect(try source.encode("   ").isEmpty)
        // NUL is ordinary (unknown) text, not a terminator: "b" after it is still encoded.
        let pieces = try source.encode("a\u{0}b")
        #expect(pieces.last?.text == "b")
    }

    @Test func loadsFromBytes() throws {
        let bytes = try [UInt8](Data(contentsOf: TokenizerFixtures.root.appendingPathComponent("marian/source.spm")))
        let model = try SentencePieceModel(bytes: bytes, name: "in-memory")
        let fromFile = try SentencePieceModel(path: TokenizerFixtures.marian + "/source.spm")
        #expect(try model.encodeIDs("the small garden") == fromFile.encodeIDs("the small garden"))
    }
}

@Suite struct TokenizerMarianTests {
    /// The tokenizer of marian/, or of marian-<configuration>/'s files over marian/'s model files
    /// (with the folder to remove afterwards).
    static func tokenizer(_ configuration: String) throws -> (MarianTokenizer, String?) {
        guard configuration != "marian" else { return (try MarianTokenizer(directory: TokenizerFixtures.marian), nil) }
        let configDir = TokenizerFixtures.root.appendingPathComponent("marian-" + configuration)
        var overrides: [String: Data?] = ["tokenizer_config.json": Data?.none, "special_tokens_map.json": Data?.none]
        for name in try FileManager.default.contentsOfDirectory(atPath: configDir.path) {
            overrides[name] = try Data(contentsOf: configDir.appendingPathComponent(name))
        }
        let dir = try TokenizerFixtures.folder(try TokenizerFixtures.marianFiles(overrides))
        return (try MarianTokenizer(directory: dir), dir)
    }

    static let configurations = ["marian", "variant", "legacy"]

    @Test(arguments: configurations)
    func encodeMatchesTransformers(configuration: String) throws {
        let (tokenizer, dir) = try Self.tokenizer(configuration)
        defer { if let dir { try? FileManager.default.removeItem(atPath: dir) } }
        let cases = try TokenizerFixtures.reference()[configuration].encode
        #expect(cases.count >= 20)
        for c in cases {
            #expect(try tokenizer.encode(c.text) == c.ids, "ids of \(c.text.debugDescription)")
            let tokens = try tokenizer.tokenize(c.text)
            #expect(tokens.elementsEqual(c.tokens, by: sameScalars), "tokens of \(c.text.debugDescription)")
        }
    }

    @Test(arguments: configurations)
    func decodeMatchesTransformers(configuration: String) throws {
        let (tokenizer, dir) = try Self.tokenizer(configuration)
        defer { if let dir { try? FileManager.default.removeItem(atPath: dir) } }
        let cases = try TokenizerFixtures.reference()[configuration].decode
        #expect(cases.count >= 20)
        for c in cases {
            let text = try tokenizer.decode(c.ids)
            #expect(sameScalars(text, c.text), "decode \(c.ids): \(text.debugDescription) vs \(c.text.debugDescription)")
            let keep = try tokenizer.decode(c.ids, skipSpecialTokens: false)
            #expect(sameScalars(keep, c.text_keep),
                    "decode keeping special tokens \(c.ids): \(keep.debugDescription) vs \(c.text_keep.debugDescription)")
        }
    }

    @Test func specialTokensAndEmptyText() throws {
        let tokenizer = try MarianTokenizer(directory: TokenizerFixtures.marian)
        #expect(tokenizer.eosID == 0)
        #expect(tokenizer.unkID == 1)
        #expect(tokenizer.padID == tokenizer.vocabularySize - 1)
        #expect(tokenizer.cleanUpTokenizationSpaces == false)
        #expect(try tokenizer.encode("") == [tokenizer.eosID])
        #expect(try tokenizer.decode([]) == "")
        #expect(try tokenizer.decode([tokenizer.eosID, tokenizer.padID]) == "")
    }

    @Test func variantConfiguration() throws {
        let (tokenizer, dir) = try Self.tokenizer("variant")
        defer { if let dir { try? FileManager.default.removeItem(atPath: dir) } }
        #expect(tokenizer.cleanUpTokenizationSpaces)
        // <eod> is not in vocab.json: transformers appends it after the vocabulary.
        #expect(try tokenizer.encode("<eod>") == [tokenizer.vocabularySize, tokenizer.eosID])
    }

    @Test func cleanUpTokenizationRules() {
        #expect(MarianTokenizer.cleanUpTokenization("a , b . c ? d ! e ' f do n't I 'm it 's we 've you 're")
            == "a, b. c? d! e'f don't I'm it's we've you're")
    }

    @Test func pythonWhitespace() {
        let text = "\u{1C}\u{85}\u{A0}\u{2003}\u{3000} x \u{200B}\t\n"
        #expect(PythonText.string(PythonText.strip(PythonText.scalars(text))) == "x \u{200B}")
    }
}

@Suite struct TokenizerVocabularyTests {
    @Test func piecesCompareByCodePoints() throws {
        // "é" (U+00E9) and "e" + U+0301 are canonically equivalent but different pieces; a repeated
        // key keeps its last id (Python's json), and the inverse map takes the later entry.
        let json = "{\"\u{E9}\": 5, \"e\u{301}\": 6, \"x\": 1, \"x\": 7, \"y\": 6}"
        let dir = try TokenizerFixtures.folder(["vocab.json": Data(json.utf8)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (vocabulary, order) = try MarianTokenizer.readVocabulary(dir + "/vocab.json")
        #expect(vocabulary.count == 4)
        #expect(vocabulary[Array("\u{E9}".utf8)] == 5)
        #expect(vocabulary[Array("e\u{301}".utf8)] == 6)
        #expect(vocabulary[Array("x".utf8)] == 7)
        #expect(order.map { String(decoding: $0, as: UTF8.self) }.elementsEqual(["\u{E9}", "e\u{301}", "x", "y"], by: sameScalars))
    }

    @Test func jsonEscapes() throws {
        let json = #"{"a\"b\\c\/d\b\f\n\r\t": 1, "\u00e9\ud83d\ude42": 2, "n": [true, false, null, -0.5e1, NaN]}"#
        let value = try JSONReader.parse(Array(json.utf8), file: "x.json")
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(sameScalars(members[0].key, "a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(sameScalars(members[1].key, "\u{E9}\u{1F642}"))
        guard case .array(let items)? = value["n"], case .number(let d) = items[3] else {
            Issue.record("bad array")
            return
        }
        #expect(items.count == 5 && d == -5)
    }

    @Test func concurrentUse() async throws {
        let tokenizer = try MarianTokenizer(directory: TokenizerFixtures.marian)
        let texts = (0..<64).map { "the quick brown fox \($0) jumps over the lazy dog" }
        let expected = try texts.map { try tokenizer.encode($0) }
        let results = try await withThrowingTaskGroup(of: (Int, [Int], String).self) { group in
            for (i, text) in texts.enumerated() {
                group.addTask { (i, try tokenizer.encode(text), try tokenizer.decode(tokenizer.encode(text))) }
            }
            var out: [(Int, [Int], String)] = []
            for try await r in group { out.append(r) }
            return out
        }
        for (i, ids, text) in results {
            #expect(ids == expected[i])
            #expect(text == (try tokenizer.decode(expected[i])))
        }
    }
}

/// Text ↔ model ids for a Marian export, matching transformers' `MarianTokenizer` (4.57) exactly.
///
/// The export folder holds `source.spm` and `target.spm` (SentencePiece models that segment text)
/// and `vocab.json` (piece → model id, shared by both sides), plus `tokenizer_config.json` and
/// `special_tokens_map.json` naming the special tokens (`</s>` end of sentence, `<unk>`, `<pad>`,
/// optional additional ones) and their added-token flags.
///
/// - ``encode(_:)``: the text is split on added tokens (special tokens written literally in the
///   text stay whole), a leading language code `>>xx<<` becomes its own token, the rest is
///   segmented by `source.spm`; pieces map through vocab.json (unknown pieces to `<unk>`); `</s>` is
///   appended. `""` encodes as `[</s>]`. No truncation (transformers does not truncate by default).
/// - ``decode(_:skipSpecialTokens:)``: ids map to pieces through vocab.json (unknown ids to
///   `<unk>`), special tokens are dropped, the rest is detokenized by `target.spm`, `▁` becomes a
///   space and the result is stripped; `clean_up_tokenization_spaces` is applied when the config
///   asks for it. `[]` decodes as `""`.
///
/// Not supported (refused when loading): `separate_vocabs` (target_vocab.json). Not applied, as
/// in transformers: sacremoses punctuation normalization (`MarianTokenizer` never calls it while
/// tokenizing). `tokenizer.json` (fast tokenizers) is not read.
public struct MarianTokenizer: Sendable {
    /// An added token (transformers' `AddedToken`): text the tokenizer never splits.
    struct AddedToken: Sendable {
        var content: [Unicode.Scalar]
        var utf8: [UInt8]
        var lstrip = false
        var rstrip = false
        var singleWord = false

        init(_ content: [Unicode.Scalar], lstrip: Bool = false, rstrip: Bool = false, singleWord: Bool = false) {
            self.content = content
            self.utf8 = PythonText.utf8(content)
            self.lstrip = lstrip
            self.rstrip = rstrip
            self.singleWord = singleWord
        }
    }

    /// The SentencePiece model that segments source text.
    public let source: SentencePieceModel
    /// The SentencePiece model that detokenizes generated pieces.
    public let target: SentencePieceModel

    /// vocab.json: piece bytes → model id.
    let vocabulary: [[UInt8]: Int]
    /// vocab.json inverted (for duplicate ids the later entry wins, as in Python).
    let pieceForID: [Int: [UInt8]]
    /// Added tokens: content → id and id → token.
    let addedIDs: [[UInt8]: Int]
    let addedTokens: [Int: AddedToken]
    /// The contents the text is split on, longest first.
    let splitTokens: [[Unicode.Scalar]]
    /// transformers' `all_special_tokens` and their ids.
    let specialTokens: Set<[UInt8]>
    let specialIDs: Set<Int>
    /// Added tokens that are not special (kept whole when decoding).
    let legacyAddedTokens: Set<[UInt8]>
    let unknownPieceID: Int
    let splitSpecialTokens: Bool

    /// Id appended to every encoded text (`</s>`).
    public let eosID: Int
    /// Id of `<unk>`, given to pieces vocab.json lacks.
    public let unkID: Int
    /// Id of `<pad>`.
    public let padID: Int
    /// The special tokens' texts.
    public let eosToken: String, unkToken: String, padToken: String
    /// Whether ``decode(_:skipSpecialTokens:)`` removes spaces before punctuation and
    /// contractions (transformers' `clean_up_tokenization_spaces`, from tokenizer_config.json).
    public let cleanUpTokenizationSpaces: Bool

    /// Number of entries in vocab.json (transformers' `vocab_size`).
    public var vocabularySize: Int { vocabulary.count }

    /// Model id of a token text: an added token's id, else vocab.json's, else `<unk>`'s.
    func id(ofToken utf8: [UInt8]) -> Int {
        addedIDs[utf8] ?? vocabulary[utf8] ?? unknownPieceID
    }

    // MARK: Encoding

    /// The tokens of `text` (before ids and `</s>`), as transformers' `tokenize`.
    public func tokenize(_ text: String) throws(TokenizerError) -> [String] {
        try tokenBytes(text).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Model ids for `text`, ending with ``eosID``.
    public func encode(_ text: String) throws(TokenizerError) -> [Int] {
        try tokenBytes(text).map(id(ofToken:)) + [eosID]
    }

    func tokenBytes(_ text: String) throws(TokenizerError) -> [[UInt8]] {
        let scalars = PythonText.scalars(text)
        var chunks = splitSpecialTokens ? [scalars] : split(scalars)
        if !splitSpecialTokens { applyStripFlags(&chunks) }
        var tokens: [[UInt8]] = []
        for chunk in chunks where !chunk.isEmpty {
            let utf8 = PythonText.utf8(chunk)
            if !splitSpecialTokens, addedIDs[utf8] != nil {
                tokens.append(utf8)
                continue
            }
            let (code, rest) = removeLanguageCode(chunk)
            if let code { tokens.append(PythonText.utf8(code)) }
            let pieces = try source.encode(utf8: PythonText.utf8(rest))
            tokens.append(contentsOf: pieces.map(\.utf8))
        }
        return tokens
    }

    /// Splits `text` around added tokens, leftmost match first and the longest one there
    /// (transformers' `Trie.split`); no empty parts.
    func split(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var parts: [[Unicode.Scalar]] = []
        var start = 0
        var i = 0
        while i < text.count {
            let rest = text[i...]
            if let token = splitTokens.first(where: { rest.starts(with: $0) }) {
                if i > start { parts.append(Array(text[start..<i])) }
                parts.append(token)
                i += token.count
                start = i
            } else {
                i += 1
            }
        }
        if start < text.count { parts.append(Array(text[start...])) }
        return parts
    }

    /// The lstrip / rstrip / single_word behaviour of added tokens on their neighbours, in
    /// transformers' order (each token sees the changes made for the tokens before it).
    private func applyStripFlags(_ chunks: inout [[Unicode.Scalar]]) {
        let space = Unicode.Scalar(0x20)
        for i in chunks.indices {
            let token = chunks[i]
            guard let id = addedIDs[PythonText.utf8(token)], let flags = addedTokens[id] else { continue }
            let left: [Unicode.Scalar]? = i > 0 ? chunks[i - 1] : nil
            let right: [Unicode.Scalar]? = i < chunks.count - 1 ? chunks[i + 1] : nil
            if flags.rstrip, let right, !right.isEmpty { chunks[i + 1] = PythonText.lstrip(right) }
            if flags.lstrip, let left, !left.isEmpty { chunks[i - 1] = PythonText.rstrip(left) }
            if flags.singleWord, let left, let last = left.last, last != space {
                chunks[i - 1] += token
                chunks[i] = []
            } else if flags.singleWord, let right, let first = right.first, first != space {
                chunks[i + 1] = token + chunks[i + 1]
                chunks[i] = []
            }
        }
    }

    /// `MarianTokenizer.remove_language_code`: a text starting with `>>` and containing `<<`
    /// yields the code (through the first `<<`) and the rest.
    func removeLanguageCode(_ text: [Unicode.Scalar]) -> (code: [Unicode.Scalar]?, rest: [Unicode.Scalar]) {
        let gt = Unicode.Scalar(UInt8(ascii: ">")), lt = Unicode.Scalar(UInt8(ascii: "<"))
        guard text.count >= 2, text[0] == gt, text[1] == gt else { return (nil, text) }
        var i = 0
        while i + 1 < text.count {
            if text[i] == lt, text[i + 1] == lt {
                return (Array(text[..<(i + 2)]), Array(text[(i + 2)...]))
            }
            i += 1
        }
        return (nil, text)
    }

    // MARK: Decoding

    /// The text of model ids, as transformers' `decode(ids, skip_special_tokens:)`.
    ///
    /// With `skipSpecialTokens` (the default, what a translation wants) special tokens, `<unk>`
    /// included, are dropped; otherwise they appear literally, each followed by a space.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) throws(TokenizerError) -> String {
        var parts: [String] = []
        var current: [[UInt8]] = []
        for id in ids {
            if skipSpecialTokens, specialIDs.contains(id) { continue }
            let token = addedTokens[id]?.utf8 ?? pieceForID[id] ?? Array(unkToken.utf8)
            if skipSpecialTokens, specialTokens.contains(token) { continue }
            if legacyAddedTokens.contains(token) {
                if !current.isEmpty {
                    let text = try tokensToString(current)
                    if !text.isEmpty { parts.append(text) }
                    current = []
                }
                parts.append(String(decoding: token, as: UTF8.self))
            } else {
                current.append(token)
            }
        }
        if !current.isEmpty { parts.append(try tokensToString(current)) }
        let text = parts.joined(separator: " ")
        return cleanUpTokenizationSpaces ? Self.cleanUpTokenization(text) : text
    }

    /// `MarianTokenizer.convert_tokens_to_string`: runs of pieces through `target.spm`'s decoder,
    /// special tokens copied with a space after them, `▁` → space, stripped.
    func tokensToString(_ tokens: [[UInt8]]) throws(TokenizerError) -> String {
        var out = ""
        var run: [[UInt8]] = []
        for token in tokens {
            if specialTokens.contains(token) {
                if !run.isEmpty { out += try target.decode(utf8Pieces: run) }
                out += String(decoding: token, as: UTF8.self) + " "
                run = []
            } else {
                run.append(token)
            }
        }
        if !run.isEmpty { out += try target.decode(utf8Pieces: run) }
        let spaced = PythonText.replace(PythonText.scalars(out), ["\u{2581}"], [" "])
        return PythonText.string(PythonText.strip(spaced))
    }

    /// transformers' `clean_up_tokenization`: no space before `. ? ! ,` and English contractions.
    static func cleanUpTokenization(_ text: String) -> String {
        let rules: [(String, String)] = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
            (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ]
        var s = PythonText.scalars(text)
        for (old, new) in rules { s = PythonText.replace(s, PythonText.scalars(old), PythonText.scalars(new)) }
        return PythonText.string(s)
    }
}

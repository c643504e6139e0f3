import Foundation

/// The decoding settings an export carries in `config.json` and `generation_config.json`
/// (`generation_config.json` wins where both set a key). Defaults are MarianMT's.
public struct GenerationConfig: Sendable, Equatable {
    public var decoderStartTokenID: Int
    public var eosTokenID: Int
    public var padTokenID: Int
    /// Token ids never generated (Marian forbids `<pad>`): single-token `bad_words_ids` entries.
    public var suppressedTokenIDs: [Int]
    /// Total target length including the decoder start token (Hugging Face's `max_length`):
    /// at most `maxLength - 1` tokens are generated.
    public var maxLength: Int
    /// Longest sequence the position table covers (`max_position_embeddings`), if known.
    public var maxPositions: Int?
    /// Target vocabulary size (`vocab_size`), if known.
    public var vocabularySize: Int?

    public init(decoderStartTokenID: Int, eosTokenID: Int, padTokenID: Int, suppressedTokenIDs: [Int] = [],
                maxLength: Int = 512, maxPositions: Int? = nil, vocabularySize: Int? = nil) {
        self.decoderStartTokenID = decoderStartTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
        self.suppressedTokenIDs = suppressedTokenIDs
        self.maxLength = maxLength
        self.maxPositions = maxPositions
        self.vocabularySize = vocabularySize
    }

    /// Reads `config.json` and `generation_config.json` from `directory` (either may be missing;
    /// a file that exists but is not a JSON object is an error). Nil when neither file exists.
    public static func load(directory: String) throws(TranslateError) -> GenerationConfig? {
        var merged: [String: Any] = [:]
        var found = false
        for name in ["config.json", "generation_config.json"] {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            found = true
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TranslateError(.file(path: path, problem: "not a JSON object"))
            }
            merged.merge(object) { _, new in new }
        }
        guard found else { return nil }
        func int(_ key: String) -> Int? { (merged[key] as? NSNumber)?.intValue }
        let pad = int("pad_token_id") ?? 0
        var suppressed: [Int] = []
        if let bad = merged["bad_words_ids"] as? [[NSNumber]] {
            suppressed = bad.filter { $0.count == 1 }.map { $0[0].intValue }
        }
        return GenerationConfig(decoderStartTokenID: int("decoder_start_token_id") ?? pad,
                                eosTokenID: int("eos_token_id") ?? 0, padTokenID: pad,
                                suppressedTokenIDs: suppressed, maxLength: int("max_length") ?? 512,
                                maxPositions: int("max_position_embeddings"), vocabularySize: int("vocab_size"))
    }
}

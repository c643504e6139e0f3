import Foundation
import Interpreter
import ONNXGraph
import ONNXLoader

/// Options of a translator; nil means "from the export's configuration".
public struct TranslatorOptions: Sendable {
    /// At most this many generated tokens per sentence (default: the config's `max_length` - 1).
    public var maxNewTokens: Int?
    /// Sentences decoded together.
    public var batchSize: Int

    public init(maxNewTokens: Int? = nil, batchSize: Int = 32) {
        self.maxNewTokens = maxNewTokens
        self.batchSize = batchSize
    }
}

/// Translates token ids with an encoder graph and one or two decoder graphs glued by a
/// `Seq2SeqLayout` (greedy search).
///
/// Accepted decoders: a merged decoder (`decoder_model_merged.onnx`, KV cache through its `If`),
/// a first-step decoder plus a decoder with past (`decoder_model.onnx` + `decoder_with_past_model.onnx`),
/// or a first-step decoder alone (no cache: the prefix is re-run every step).
public final class Translator: Sendable {
    public let layout: Seq2SeqLayout
    public let config: GenerationConfig
    public let options: TranslatorOptions
    private let encoder: Session
    private let decoder: Session
    private let decoderWithPast: Session?

    /// Loads the graphs; `config` defaults to the `config.json`/`generation_config.json` beside the
    /// encoder. Throws when a file is missing or the graphs do not fit together.
    public init(encoder: String, decoder: String, decoderWithPast: String? = nil, config: GenerationConfig? = nil,
                layout: Seq2SeqLayout? = nil, options: TranslatorOptions = TranslatorOptions()) throws(TranslateError) {
        func session(_ path: String) throws(TranslateError) -> Session {
            let model: Model
            do { model = try ModelLoader.load(path: path) } catch { throw TranslateError(.file(path: path, problem: "\(error)")) }
            // Padded outputs: self-attention caches come back as the padded views their Concat
            // appended into, and go back in as the next step's past (see GreedySearch).
            let options = SessionOptions(consumesPackedInitializers: true, returnsPaddedOutputs: true)
            do { return try Session(model: model, options: options) } catch { throw TranslateError(.file(path: path, problem: "\(error)")) }
        }
        let e = try session(encoder), d = try session(decoder)
        let p = try decoderWithPast.map { (path) throws(TranslateError) in try session(path) }
        let directory = (encoder as NSString).deletingLastPathComponent
        var resolved = config
        if resolved == nil { resolved = try GenerationConfig.load(directory: directory.isEmpty ? "." : directory) }
        guard let resolved else {
            throw TranslateError(.file(path: directory, problem: "no config.json or generation_config.json to read the special tokens from"))
        }
        if let layout {
            self.layout = layout
        } else {
            self.layout = try Seq2SeqLayout.recognize(encoder: (e.inputs, e.outputs), decoder: (d.inputs, d.outputs),
                                                      decoderWithPast: p.map { ($0.inputs, $0.outputs) })
        }
        self.config = resolved
        self.options = options
        self.encoder = e
        self.decoder = d
        self.decoderWithPast = p
    }

    /// The most tokens one sentence may generate.
    public var maxNewTokens: Int {
        var limit = options.maxNewTokens ?? max(config.maxLength - 1, 0)
        if let positions = config.maxPositions { limit = min(limit, positions - 1) }
        return max(limit, 0)
    }

    /// Translates each source (encoder input ids, final `</s>` included) into target ids (without
    /// the decoder start token and the final `</s>`). Sources are decoded in batches of
    /// `options.batchSize` in input order; an empty source gives an empty translation. `progress`
    /// is called after each batch with the number of sources (from the start) that are done.
    public func translate(_ sources: [[Int]], progress: ((Int) -> Void)? = nil) throws(TranslateError) -> [[Int]] {
        for (line, ids) in sources.enumerated() { try check(ids, line: line + 1) }
        let search = makeSearch()
        var results = Array(repeating: [Int](), count: sources.count)
        let nonEmpty = sources.indices.filter { !sources[$0].isEmpty }
        var start = 0
        while start < nonEmpty.count {
            let chunk = Array(nonEmpty[start..<min(start + max(options.batchSize, 1), nonEmpty.count)])
            let outputs = try search.run(chunk.map { sources[$0] })
            for (i, out) in zip(chunk, outputs) { results[i] = out }
            start += chunk.count
            progress?(start < nonEmpty.count ? nonEmpty[start] : sources.count)
        }
        return results
    }

    /// The greedy search over this translator's sessions.
    func makeSearch() -> GreedySearch {
        GreedySearch(encoder: encoder, decoder: decoder, decoderWithPast: decoderWithPast, layout: layout,
                     config: config, maxNewTokens: maxNewTokens)
    }

    private func check(_ ids: [Int], line: Int) throws(TranslateError) {
        if let vocabulary = config.vocabularySize, let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
            throw TranslateError(.input(line: line, problem: "token id \(bad) is outside the vocabulary (0..<\(vocabulary))"))
        }
        if let positions = config.maxPositions, ids.count > positions {
            throw TranslateError(.input(line: line, problem: "\(ids.count) tokens exceed the model's \(positions) positions"))
        }
    }

    /// Translates text with `tokenizer` (Marian: source.spm segmentation, vocab.json ids, target.spm
    /// detokenization). An empty line translates to an empty line without running the model.
    public func translate(texts: [String], tokenizer: MarianTokenizer) throws(TranslateError) -> [String] {
        try Translator.decode(translate(Translator.encode(texts, tokenizer: tokenizer)), tokenizer: tokenizer)
    }

    /// Source ids of each line (an empty line gives no ids); errors name the line (1-based).
    public static func encode(_ texts: [String], tokenizer: MarianTokenizer) throws(TranslateError) -> [[Int]] {
        var sources: [[Int]] = []
        sources.reserveCapacity(texts.count)
        for (line, text) in texts.enumerated() {
            if text.isEmpty { sources.append([]); continue }
            do { sources.append(try tokenizer.encode(text)) }
            catch { throw TranslateError(.input(line: line + 1, problem: "\(error)")) }
        }
        return sources
    }

    /// Text of each generated id sequence.
    public static func decode(_ outputs: [[Int]], tokenizer: MarianTokenizer) throws(TranslateError) -> [String] {
        var results: [String] = []
        results.reserveCapacity(outputs.count)
        for (line, ids) in outputs.enumerated() {
            do { results.append(try tokenizer.decode(ids)) }
            catch { throw TranslateError(.run("line \(line + 1): \(error)")) }
        }
        return results
    }
}

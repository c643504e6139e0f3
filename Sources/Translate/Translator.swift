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
            do { return try Session(model: model, options: SessionOptions(consumesPackedInitializers: true)) } catch { throw TranslateError(.file(path: path, problem: "\(error)")) }
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
    /// `options.batchSize` in input order; an empty source gives an empty translation.
    public func translate(_ sources: [[Int]]) throws(TranslateError) -> [[Int]] {
        for (line, ids) in sources.enumerated() { try check(ids, line: line + 1) }
        let search = GreedySearch(encoder: encoder, decoder: decoder, decoderWithPast: decoderWithPast, layout: layout,
                                  config: config, maxNewTokens: maxNewTokens)
        var results = Array(repeating: [Int](), count: sources.count)
        let nonEmpty = sources.indices.filter { !sources[$0].isEmpty }
        var start = 0
        while start < nonEmpty.count {
            let chunk = Array(nonEmpty[start..<min(start + max(options.batchSize, 1), nonEmpty.count)])
            let outputs = try search.run(chunk.map { sources[$0] })
            for (i, out) in zip(chunk, outputs) { results[i] = out }
            start += chunk.count
        }
        return results
    }

    private func check(_ ids: [Int], line: Int) throws(TranslateError) {
        if let vocabulary = config.vocabularySize, let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
            throw TranslateError(.input(line: line, problem: "token id \(bad) is outside the vocabulary (0..<\(vocabulary))"))
        }
        if let positions = config.maxPositions, ids.count > positions {
            throw TranslateError(.input(line: line, problem: "\(ids.count) tokens exceed the model's \(positions) positions"))
        }
    }
}

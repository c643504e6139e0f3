import Interpreter
import ONNXGraph

/// The glue between an encoder graph and its decoder graphs, as data: which value feeds which.
///
/// `recognize` reads it from the input and output names of a standard Hugging Face optimum export
/// (`encoder_model`, `decoder_model`, `decoder_with_past_model`, `decoder_model_merged`); other
/// layouts describe themselves in a JSON file with the same fields (`Seq2SeqLayout.decode(json:)`).
public struct Seq2SeqLayout: Codable, Sendable, Equatable {
    public struct Encoder: Codable, Sendable, Equatable {
        /// int64 [batch, source length].
        public var inputIDs: String
        /// int64 [batch, source length], 1 for tokens and 0 for padding.
        public var attentionMask: String?
        /// float [batch, source length, hidden].
        public var hiddenStates: String
    }

    /// A decoder's inputs past one step's state and its cache outputs.
    public struct CacheBinding: Codable, Sendable, Equatable {
        /// The input that takes the cache (`past_key_values.0.decoder.key`).
        public var past: String
        /// The output that gives the cache for the next step (`present.0.decoder.key`).
        public var present: String
    }

    public struct Decoder: Codable, Sendable, Equatable {
        /// int64 [batch, target length so far] (or [batch, 1] with a cache).
        public var inputIDs: String
        /// Fed from the encoder's hidden states when present.
        public var encoderHiddenStates: String?
        /// Fed from the encoder's attention mask when present.
        public var encoderAttentionMask: String?
        /// bool [1] of a merged decoder: false on the first step, true after.
        public var useCacheBranch: String?
        /// float [batch, length, vocabulary].
        public var logits: String
        /// Cache inputs (empty for a decoder that takes none) and the outputs that fill them.
        public var cache: [CacheBinding]
        /// Outputs named `present.*` (a first-step decoder produces the cache it takes none of).
        public var presents: [String]
    }

    public var encoder: Encoder
    /// The first-step decoder: `decoder_model` or `decoder_model_merged`.
    public var decoder: Decoder
    /// The decoder for later steps when it is a separate graph (`decoder_with_past_model`).
    public var decoderWithPast: Decoder?

    /// How the decoder loop uses the graphs.
    public enum Mode: Sendable, Equatable {
        /// One graph for every step, switching on `use_cache_branch`.
        case merged
        /// `decoder` for the first step, `decoderWithPast` after.
        case pair
        /// `decoder` re-run over the whole prefix every step (no cache).
        case noCache
    }

    public var mode: Mode {
        if decoder.useCacheBranch != nil && !decoder.cache.isEmpty { return .merged }
        return decoderWithPast == nil ? .noCache : .pair
    }

    /// Reads the optimum layout from the graphs' names; throws naming the first input that nothing
    /// can feed.
    public static func recognize(encoder: (inputs: [ValueInfo], outputs: [ValueInfo]),
                                 decoder: (inputs: [ValueInfo], outputs: [ValueInfo]),
                                 decoderWithPast: (inputs: [ValueInfo], outputs: [ValueInfo])?) throws(TranslateError) -> Seq2SeqLayout {
        func has(_ list: [ValueInfo], _ name: String) -> String? { list.contains { $0.name == name } ? name : nil }
        guard let ids = has(encoder.inputs, "input_ids") ?? encoder.inputs.first?.name else {
            throw TranslateError(.layout("the encoder has no inputs"))
        }
        guard let hidden = has(encoder.outputs, "last_hidden_state") ?? encoder.outputs.first?.name else {
            throw TranslateError(.layout("the encoder has no outputs"))
        }
        let enc = Encoder(inputIDs: ids, attentionMask: has(encoder.inputs, "attention_mask"), hiddenStates: hidden)
        let dec = try recognizeDecoder(decoder, role: "decoder")
        let past = try decoderWithPast.map { (d) throws(TranslateError) in try recognizeDecoder(d, role: "decoder with past") }
        if let past, past.cache.isEmpty {
            throw TranslateError(.layout("the decoder with past takes no past_key_values.* inputs"))
        }
        let layout = Seq2SeqLayout(encoder: enc, decoder: dec, decoderWithPast: past)
        if layout.mode == .pair, let past {
            // Every cache input of the later steps must come from a first-step output.
            for binding in past.cache where !dec.presents.contains(binding.present) {
                throw TranslateError(.layout("the decoder with past needs '\(binding.past)', but the decoder has no output '\(binding.present)'"))
            }
        }
        return layout
    }

    private static func recognizeDecoder(_ graph: (inputs: [ValueInfo], outputs: [ValueInfo]),
                                         role: String) throws(TranslateError) -> Decoder {
        let known: Set<String> = ["input_ids", "encoder_hidden_states", "encoder_attention_mask", "use_cache_branch"]
        var cache: [CacheBinding] = []
        for input in graph.inputs {
            if input.name.hasPrefix("past_key_values.") {
                let suffix = input.name.dropFirst("past_key_values.".count)
                cache.append(CacheBinding(past: input.name, present: "present." + suffix))
            } else if !known.contains(input.name) {
                throw TranslateError(.layout("\(role) input '\(input.name)' is not one the encoder or the decoder loop can feed"))
            }
        }
        guard graph.inputs.contains(where: { $0.name == "input_ids" }) else {
            throw TranslateError(.layout("the \(role) has no input 'input_ids'"))
        }
        guard let logits = graph.outputs.first(where: { $0.name == "logits" })?.name ?? graph.outputs.first?.name else {
            throw TranslateError(.layout("the \(role) has no outputs"))
        }
        func has(_ name: String) -> String? { graph.inputs.contains { $0.name == name } ? name : nil }
        return Decoder(inputIDs: "input_ids", encoderHiddenStates: has("encoder_hidden_states"),
                       encoderAttentionMask: has("encoder_attention_mask"), useCacheBranch: has("use_cache_branch"),
                       logits: logits, cache: cache,
                       presents: graph.outputs.map(\.name).filter { $0.hasPrefix("present.") })
    }
}

/// Registrations of the Normalization family: one line per op.
enum NormalizationFamily {
    static let schemas: [OpSchema] = [
        OpSchema(Softmax.self, "Softmax"),
        OpSchema(LogSoftmax.self, "LogSoftmax"),
        OpSchema(LayerNormalization.self, "LayerNormalization", versions: 17...OpRegistry.maximumOpset),
        OpSchema(SkipLayerNormalization.self, "SkipLayerNormalization", domain: "ai.onnxrun", versions: 1...1),
    ]
}

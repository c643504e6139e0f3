/// Registrations of the Quantization family: one line per op.
enum QuantizationFamily {
    static let schemas: [OpSchema] = [
        OpSchema(QuantizeLinear.self, "QuantizeLinear", versions: 10...OpRegistry.maximumOpset),
        OpSchema(DequantizeLinear.self, "DequantizeLinear", versions: 10...OpRegistry.maximumOpset),
        OpSchema(DynamicQuantizeLinear.self, "DynamicQuantizeLinear", versions: 11...OpRegistry.maximumOpset),
    ]
}

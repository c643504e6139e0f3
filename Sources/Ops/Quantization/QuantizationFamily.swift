/// Registrations of the Quantization family: one line per op.
enum QuantizationFamily {
    static let schemas: [OpSchema] = [
    ]
}
